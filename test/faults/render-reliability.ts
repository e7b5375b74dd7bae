/**
 * Turns the fault suite's own output (test-results/faults.json, written by test/faults) into
 * RELIABILITY.md, so the table there is what the suite measured, not what someone typed.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface FaultRow {
  fault: string;
  injected: string;
  userSees: string;
  stored: string;
  sent: number;
  acknowledged: number;
  answered: number;
  storedRows: number;
  lost: number;
}

const { at, rows } = JSON.parse(readFileSync('test-results/faults.json', 'utf8')) as {
  at: string;
  rows: FaultRow[];
};
const escapeCell = (text: string) => text.replace(/\|/g, '\\|');
const table = [
  '| fault | how it is injected | what the user sees | what is stored | sent | acked | answered | stored | lost |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| ${escapeCell(row.fault)} | ${escapeCell(row.injected)} | ${escapeCell(row.userSees)} | ${escapeCell(row.stored)} | ${row.sent} | ${row.acknowledged} | ${row.answered} | ${row.storedRows} | **${row.lost}** |`,
  ),
].join('\n');
const totalLost = rows.reduce((sum, row) => sum + row.lost, 0);

writeFileSync(
  'RELIABILITY.md',
  `# Reliability

deskhand must never silently drop a question or a ticket. The fault-injection suite in
\`test/faults/\` runs deskhand as real processes (its kb MCP server over stdio as a child process, as a services file may run it,
a knowledge source over streamable HTTP, a fake Slack, Postgres behind a proxy the test can cut),
injects each fault while questions flow, and counts what was sent, acknowledged (HTTP 200 to
Slack), answered (an answer card reached the asker) and stored (rows in \`questions\`).
"Lost" is sent minus what was both answered and stored.

This table is generated from the suite's own output (\`test-results/faults.json\`) by
\`npm run reliability\`, last on ${at.slice(0, 10)}; ${rows.length} faults, **${totalLost} questions lost**.

${table}

Every run of the suite also checks that no log line of any process contains a token or secret it
was given (\`NOTION_TOKEN\`, \`HELPSCOUT_APP_SECRET\`, \`HELPSCOUT_WEBHOOK_SECRET\`, the Slack bot token
and signing secret), at \`LOG_LEVEL=debug\`.

## Also covered elsewhere

- **Tickets while HelpScout is down** (\`test/support/tickets/\`, \`test/slack/listeners/ticket-modal.test.ts\`):
  the ticket row is written \`pending\` first; the outbox retries with backoff and two workers racing
  on one database file it exactly once; a refused ticket is \`failed\` with the reason shown.
- **Bad input** (\`test/slack/\`, \`test/http/\`): bad or stale Slack signatures get 401 and store
  nothing; oversized bodies 413; malformed payloads with a valid signature 400; unknown commands and
  actions are acknowledged and logged; HelpScout webhooks with a wrong signature 401; every card stays
  within Block Kit's limits for any input (\`test/slack/blocks/block-kit-limits.test.ts\`).
- **Duplicates**: retried Slack deliveries (\`slack_events\`), double clicks (feedback unique per
  person), resubmitted modals (one ticket per question) and two replicas (above).
- **A HelpScout search that ignores its filter** (\`test/servers/helpscout/helpscout-server.test.ts\`):
  a ticket's retry looks for its earlier attempt by an idempotency tag and accepts only a
  conversation of the mailbox that carries the tag, so a search answering with other conversations
  files a new one instead of attaching the ticket to an unrelated customer's.
- **Private questions and the digest** (\`test/slack/digest-privacy.e2e.test.ts\`): text asked in a
  private channel or a DM never appears in a digest shown in Slack (scheduled or \`/support digest\`),
  only as a count of questions asked privately; admin commands are refused in a workspace without
  \`SUPPORT_ADMINS\`.
- **The write spool** (\`test/db/spool.test.ts\`): acknowledged writes are on disk (fsync'd in
  batches) while the database is away, a line a crash cut short is skipped, a stopped deskhand's
  spool is taken over by exactly one new process and replayed once, and a running one's is left alone.
- **The embedded database killed under the bot** (\`test/db/embedded-postgres.test.ts\`): SIGKILL
  to its postmaster while the bot runs; a question asked meanwhile is answered and kept, the bot
  starts the server again within seconds on the port it had, \`/readyz\` is ready again and both
  questions are stored. A bot killed with SIGKILL leaves the server running and the next start joins it.

## What is not covered

- Past 10,000 buffered writes in one outage the oldest leave memory (loudly logged); they stay in the
  spool and are stored at the next start, not when the database comes back.
- A ticket asked for while Postgres is down is not filed (the answer card says so); questions,
  answers and urgent alerts are kept.
- An alert posted during an outage cannot be checked against the database for an earlier alert of
  the same question, so a Slack retry reaching another replica during the outage may post it twice
  (it is stored once).
- The spool lives on the local disk: a replica whose disk is lost together with the process loses
  what it had spooled.
`,
);
console.log(`RELIABILITY.md written: ${rows.length} faults, ${totalLost} lost`);
