import { resolve } from 'node:path';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Logger } from 'pino';
import { KnowledgeBase } from '../servers/kb/knowledge-index.js';
import { createKbServer } from '../servers/kb/server.js';

/** One index per folder for the whole process: a reconnect gets a new server over the same index. */
const knowledgeBases = new Map<string, KnowledgeBase>();

/**
 * deskhand's own kb MCP server inside the bot's process, reached through the SDK's in-memory
 * transport: the same server and the same client as over stdio, without a child process (≈ 80 MB
 * and a start-up of its own) or JSON over a pipe on every question. Closing the client's side
 * closes the server's.
 */
export function connectBuiltinKb(knowledgeDir: string, logger?: Logger): Transport {
  const dir = resolve(knowledgeDir);
  let knowledgeBase = knowledgeBases.get(dir);
  if (!knowledgeBase) {
    knowledgeBase = new KnowledgeBase({ knowledgeDir: dir, logger });
    knowledgeBases.set(dir, knowledgeBase);
    // Indexed now so a missing folder shows in the log at start; the first search waits for this build.
    void knowledgeBase.index().catch((error: unknown) => {
      logger?.warn({ err: error, knowledgeDir: dir }, (error as Error).message);
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createKbServer({ knowledgeDir: dir, logger, knowledgeBase });
  // Messages the client sends before the server has started are queued by the transport.
  void server.connect(serverSide);
  return clientSide;
}
