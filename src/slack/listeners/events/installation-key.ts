/** Which installation an event envelope speaks for: the org for an org-wide install, else the workspace. */
export function installationKeyOf(body: {
  team_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: boolean;
}): { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean } {
  const isEnterpriseInstall = body.is_enterprise_install === true && Boolean(body.enterprise_id);
  return {
    teamId: isEnterpriseInstall ? undefined : body.team_id,
    enterpriseId: body.enterprise_id ?? undefined,
    isEnterpriseInstall,
  };
}
