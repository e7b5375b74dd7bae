import type { EmulatedChannel, EmulatedMessage, EmulatedUser, JsonObject, Workspace } from './workspace.js';

/** A message as the Web API and interaction payloads show it. */
export function messageJson(message: EmulatedMessage, workspace: Workspace): JsonObject {
  const byBot = message.bot_id !== undefined;
  return {
    type: 'message',
    ...(byBot ? { bot_id: message.bot_id, app_id: workspace.appId } : {}),
    text: message.text,
    user: message.user,
    ts: message.ts,
    team: workspace.teamId,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    ...(message.thread_ts === message.ts ? { reply_count: message.reply_count } : {}),
    ...(message.edited ? { edited: message.edited } : {}),
    ...(message.reactions ? { reactions: message.reactions } : {}),
    ...(byBot
      ? {
          bot_profile: {
            id: message.bot_id,
            app_id: workspace.appId,
            name: 'deskhand',
            deleted: false,
            team_id: workspace.teamId,
          },
        }
      : {}),
  };
}

/** A user as users.info shows it, email in the profile. */
export function userJson(user: EmulatedUser, workspace: Workspace): JsonObject {
  const profile = {
    real_name: user.real_name,
    real_name_normalized: user.real_name,
    display_name: user.name,
    display_name_normalized: user.name,
    ...(user.email ? { email: user.email } : {}),
    ...(user.bot_id ? { bot_id: user.bot_id, api_app_id: workspace.appId } : {}),
    team: workspace.teamId,
  };
  return {
    id: user.id,
    team_id: workspace.teamId,
    name: user.name,
    real_name: user.real_name,
    deleted: false,
    is_bot: user.is_bot,
    is_app_user: false,
    is_admin: false,
    is_owner: false,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile,
  };
}

/** A channel as conversations.info shows it. */
export function channelJson(channel: EmulatedChannel): JsonObject {
  const isIm = channel.kind === 'im';
  return {
    id: channel.id,
    ...(isIm ? { user: channel.user } : { name: channel.name, name_normalized: channel.name }),
    created: channel.created,
    is_channel: channel.kind === 'public',
    is_group: channel.kind === 'private',
    is_im: isIm,
    is_mpim: channel.kind === 'mpim',
    is_private: channel.kind !== 'public',
    is_archived: false,
    is_general: channel.id === 'C0GENERAL',
    is_member: channel.botIsMember !== false,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
  };
}

/** The `channel_name` Slack puts in slash commands and payloads: DMs and private channels have fixed names. */
export function payloadChannelName(channel: EmulatedChannel): string {
  if (channel.kind === 'im') return 'directmessage';
  if (channel.kind === 'mpim') return 'mpdm';
  if (channel.kind === 'private') return 'privategroup';
  return channel.name;
}
