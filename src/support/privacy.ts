import type { ChannelKind, EntryPoint } from './types.js';

/**
 * Whether a question's text may be sent to an outside model (the reply's or the embeddings'):
 * always when asked in a public channel or from the CLI, otherwise only with `privateOk`
 * (LLM_PRIVATE_OK): a private channel's or a DM's words stay in the workspace by default.
 */
export function mayLeaveWorkspace(
  where: { channelKind: ChannelKind; entryPoint: EntryPoint },
  privateOk: boolean,
): boolean {
  return where.channelKind === 'public' || where.entryPoint === 'cli' || privateOk;
}
