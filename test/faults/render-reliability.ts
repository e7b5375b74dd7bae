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
\`test/faults/\` runs deskhand as real processes (its kb MCP server over stdio as a child process,
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

## What is not covered

- A Postgres outage longer than the write buffer holds (10,000 writes) drops the oldest buffered
  writes, loudly logged; a crash of deskhand itself during such an outage loses what was buffered.
- Alerts raised while Postgres is down are not posted (the ticket is still filed by the outbox).
`,
);
console.log(`RELIABILITY.md written: ${rows.length} faults, ${totalLost} lost`);
