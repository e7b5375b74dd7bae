export type SupportCommand =
  | { kind: 'help' }
  | { kind: 'digest'; period?: string }
  | { kind: 'settings' }
  | { kind: 'ask'; question: string; urgent: boolean };

/** Reads the text after `/support`: `help`, `digest [7d]`, `settings`, `--urgent <question>` or a question. */
export function parseSupportCommand(text: string | undefined): SupportCommand {
  const trimmed = (text ?? '').trim();
  if (trimmed === '' || /^(help|-h|--help|\?)$/i.test(trimmed)) return { kind: 'help' };
  if (/^settings$/i.test(trimmed)) return { kind: 'settings' };
  const digest = /^digest(?:\s+(\S+))?\s*$/i.exec(trimmed);
  if (digest) return digest[1] ? { kind: 'digest', period: digest[1] } : { kind: 'digest' };
  const urgent = /^(--urgent|-u|urgent:)\s+/i.exec(trimmed);
  if (urgent) {
    const question = trimmed.slice(urgent[0].length).trim();
    return question ? { kind: 'ask', question, urgent: true } : { kind: 'help' };
  }
  return { kind: 'ask', question: trimmed, urgent: false };
}
