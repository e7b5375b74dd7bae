import { card, contextLine, section } from './parts.js';
import type { CardMessage, KnownBlock } from './types.js';

/** Usage of `/support` and the other ways to ask; the digest command only for admins. */
export function helpCard(options: {
  isAdmin: boolean;
  ticketsEnabled: boolean;
  alertChannel?: string;
}): CardMessage {
  const alertWhere =
    options.alertChannel && /^[CG][A-Z0-9]+$/.test(options.alertChannel)
      ? ` and alerts <#${options.alertChannel}>`
      : ' and alerts the support team';
  const commands = [
    '`/support &lt;question&gt;` — search the knowledge base, Notion and past support conversations; only you see the answer.',
    `\`/support --urgent &lt;question&gt;\` — the same, marked urgent: a ticket is created${alertWhere}.`,
    '`/support help` — this message.',
  ];
  if (options.isAdmin) {
    commands.push(
      '`/support digest [1d|7d|30d]` — questions, answers, tickets and alerts over the period (admins).',
    );
  }
  const elsewhere = [
    '*Ask support* on any message (the ⋮ menu → *Ask support*) — asks about that message.',
    'Mention *@deskhand* in a channel — answered in the thread; mention it again in the thread to follow up.',
    'Send *@deskhand* a direct message — answered right there.',
  ];
  const tickets = options.ticketsEnabled
    ? 'On an answer, *Create ticket* files it with the support desk; *Solved* and *Not helpful* tell us how we did.'
    : 'On an answer, *Create ticket* saves a ticket for the support team (no ticket desk is connected yet); *Solved* and *Not helpful* tell us how we did.';
  const blocks: KnownBlock[] = [
    section('help_intro', '*deskhand answers support questions* :wave:'),
    section('help_commands', commands.map((line) => `• ${line}`).join('\n')),
    section('help_elsewhere', `*Other ways to ask*\n${elsewhere.map((line) => `• ${line}`).join('\n')}`),
    contextLine('help_tickets', tickets),
  ];
  return card(
    'How to use /support: /support &lt;question&gt;, /support --urgent &lt;question&gt;, /support help',
    blocks,
  );
}
