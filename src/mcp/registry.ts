import { resolve } from 'node:path';
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  type CreatedTicket,
  type KnowledgeSource,
  type TicketDesk,
  TicketDeskError,
} from '../support/ports.js';
import type { TicketConversation } from '../support/ticket-sync/index.js';
import type { KnowledgeHit } from '../support/types.js';
import { ToolCatalog } from './catalog.js';
import { ServiceConnection } from './connection.js';
import {
  isConnectionFailure,
  resultText,
  retryableToolError,
  ServiceUnavailableError,
  TransientToolError,
} from './errors.js';
import { createMcpMetrics, type McpMetrics } from './metrics.js';
import { type Profile, profileFor } from './profiles/index.js';
import { createServicePolicy, type PolicyOptions, type ServicePolicy } from './resilience.js';
import type {
  McpServiceConfig,
  ServiceStatus,
  ToolCallOutcome,
  ToolCallRecord,
  ToolResult,
} from './types.js';

export interface McpRegistryOptions {
  services: McpServiceConfig[];
  logger: Logger;
  metrics: Registry;
  recordToolCall?: (call: ToolCallRecord) => void;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  policy?: PolicyOptions;
}

interface Service {
  config: McpServiceConfig;
  connection: ServiceConnection;
  policy: ServicePolicy;
  profile: Profile;
}

const DEFAULT_LABELS: Record<string, string> = {
  kb: 'Knowledge base',
  notion: 'Notion',
  helpscout: 'HelpScout',
};

/**
 * The built-in knowledge base, inside the bot's process: the one source when there is no services
 * file. (`deskhand mcp kb` serves the same server on stdio or HTTP for a services file.)
 */
export function defaultServices(options: { knowledgeDir: string }): McpServiceConfig[] {
  return [
    {
      name: 'kb',
      transport: 'builtin',
      args: [],
      env: { KNOWLEDGE_DIR: resolve(options.knowledgeDir) },
      headers: {},
      timeout_ms: 5_000,
      connect_timeout_ms: 20_000,
      retry_attempts: 1,
      max_concurrency: 16,
      profile: 'deskhand',
      label: 'Knowledge base',
      enabled: true,
    },
  ];
}

/**
 * Every configured MCP service: connections kept alive, calls made through one resilient path
 * (timeout, retry, breaker, bounded concurrency, metrics, audit row), and the roles deskhand
 * needs (knowledge sources, ticket desk) found from the tools each service offers.
 */
/** deskhand's HelpScout tool that adds a reply or a note to a conversation (DESIGN.md §6). */
const ADD_TO_CONVERSATION_TOOL = 'add_to_conversation';

export class McpRegistry {
  private readonly services = new Map<string, Service>();
  /** Rebuilt only when a service's tools change, not on every call. */
  private cachedCatalog: ToolCatalog | undefined;
  /** The roles, found again whenever a service's tools change (a late connect, a restart, tools/list_changed). */
  private cachedRoles: { sources: KnowledgeSource[]; desk: TicketDesk | undefined } | undefined;
  /** One source and one desk object per service, so a role that comes back is the same object. */
  private readonly sourceOf = new Map<string, KnowledgeSource>();
  private readonly deskOf = new Map<string, TicketDesk>();
  private readonly metrics: McpMetrics;
  private readonly logger: Logger;

  constructor(private readonly options: McpRegistryOptions) {
    this.logger = options.logger;
    this.metrics = createMcpMetrics(options.metrics);
    for (const config of options.services) {
      const connection = new ServiceConnection(config, {
        logger: options.logger,
        initialDelayMs: options.reconnect?.initialDelayMs,
        maxDelayMs: options.reconnect?.maxDelayMs,
        onToolsChanged: () => {
          this.cachedCatalog = undefined;
          this.cachedRoles = undefined;
        },
        onStateChange: (state) => {
          this.metrics.activeConnections.set(
            { service: config.name, transport: config.transport },
            state === 'connected' ? 1 : 0,
          );
        },
      });
      this.services.set(config.name, {
        config,
        connection,
        policy: createServicePolicy(config, options.policy),
        profile: profileFor(config.profile),
      });
    }
  }

  /**
   * Connects every service in parallel and resolves once each has connected or failed once, or
   * after `waitMs` at most; a service still starting or failing keeps trying in the background
   * and takes its roles as soon as its tools are known.
   */
  async connectAll(options: { waitMs?: number } = {}): Promise<void> {
    const attempts = Promise.all([...this.services.values()].map((service) => service.connection.connect()));
    if (options.waitMs === undefined) return attempts.then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      attempts,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Every service whose tools include a search: the places a question is looked up. A live view:
   * ask again for each question, as services connect, restart or change their tools.
   */
  knowledgeSources(): readonly KnowledgeSource[] {
    return this.roles().sources;
  }

  /** The service offering `create_conversation` (the ticket desk) right now, if any; ask per ticket. */
  ticketDesk(): TicketDesk | undefined {
    return this.roles().desk;
  }

  /**
   * Whether a ticket desk may still appear: none is known, and some service has not listed its
   * tools yet (still starting, or not reached since start).
   */
  ticketDeskMayConnect(): boolean {
    if (this.ticketDesk()) return false;
    return [...this.services.values()].some(
      (service) => service.connection.tools.length === 0 && service.connection.state !== 'connected',
    );
  }

  private roles(): { sources: KnowledgeSource[]; desk: TicketDesk | undefined } {
    if (this.cachedRoles) return this.cachedRoles;
    const services = [...this.services.values()];
    // A service not connected yet has no known tools: it is listed, and reported as unavailable, rather than skipped.
    const sources = services
      .filter(
        (service) =>
          service.connection.tools.length === 0 ||
          service.profile.searchTool(service.connection.tools) !== undefined,
      )
      .map((service) => this.knowledgeSource(service));
    const deskService = services.find((candidate) =>
      candidate.profile.ticketTool(candidate.connection.tools),
    );
    this.cachedRoles = { sources, desk: deskService ? this.ticketDeskOf(deskService) : undefined };
    return this.cachedRoles;
  }

  /** The service offering `add_to_conversation` (replies added to a filed ticket), if any. */
  ticketConversation(): TicketConversation | undefined {
    const service = [...this.services.values()].find((candidate) =>
      candidate.connection.tools.some((tool) => tool.name === ADD_TO_CONVERSATION_TOOL),
    );
    if (!service) return undefined;
    return {
      label: this.label(service),
      isAvailable: () => service.connection.state === 'connected',
      addToTicket: async (externalId, text, as, { signal }) => {
        const result = await this.callDesk(
          service,
          ADD_TO_CONVERSATION_TOOL,
          { id: externalId, text, as },
          { signal, refused: 'the ticket desk refused the addition' },
        );
        const added = result.structuredContent as { thread_id?: unknown } | undefined;
        return typeof added?.thread_id === 'string' ? { threadId: added.thread_id } : {};
      },
    };
  }

  catalog(): ToolCatalog {
    this.cachedCatalog ??= new ToolCatalog(
      [...this.services.values()].map((service) => ({
        name: service.config.name,
        tools: service.connection.tools,
      })),
    );
    return this.cachedCatalog;
  }

  /** Calls a tool by catalog name (`tool` or `service.tool`). */
  callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; questionId?: string } = {},
  ): Promise<ToolResult> {
    const entry = this.catalog().resolve(name);
    return this.call(this.serviceNamed(entry.service), entry.tool, args, options);
  }

  status(): ServiceStatus[] {
    return [...this.services.values()].map((service) => ({
      service: service.config.name,
      transport: service.config.transport,
      state: service.connection.state,
      tools: service.connection.tools.map((tool) => tool.name),
      lastError: service.connection.lastError,
      breaker: service.policy.breakerState(),
    }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.services.values()].map((service) => service.connection.close()));
  }

  private serviceNamed(name: string): Service {
    const service = this.services.get(name);
    if (!service) throw new Error(`no MCP service named "${name}"`);
    return service;
  }

  private label(service: Service): string {
    const name = service.config.name;
    return service.config.label ?? DEFAULT_LABELS[name] ?? name.charAt(0).toUpperCase() + name.slice(1);
  }

  private knowledgeSource(service: Service): KnowledgeSource {
    const known = this.sourceOf.get(service.config.name);
    if (known) return known;
    const source: KnowledgeSource = {
      name: service.config.name,
      label: this.label(service),
      // An open breaker still lets a call through once its half-open time has passed, so it is not "unavailable" here.
      isAvailable: () => service.connection.state === 'connected',
      search: async (query, { limit, signal, questionId }): Promise<KnowledgeHit[]> => {
        const tool = service.profile.searchTool(service.connection.tools);
        if (!tool) throw new ServiceUnavailableError(service.config.name, 'no search tool');
        const result = await this.call(service, tool, service.profile.searchArgs(tool, query, limit), {
          signal,
          questionId,
        });
        if (result.isError) throw new Error(resultText(result) || `${this.label(service)} returned an error`);
        return service.profile.parseSearch(tool, result, service.config.name).slice(0, limit);
      },
    };
    this.sourceOf.set(service.config.name, source);
    return source;
  }

  private ticketDeskOf(service: Service): TicketDesk {
    const known = this.deskOf.get(service.config.name);
    if (known) return known;
    const desk: TicketDesk = {
      name: service.config.name,
      label: this.label(service),
      isAvailable: () => service.connection.state === 'connected',
      createTicket: async (request, { signal }): Promise<CreatedTicket> => {
        const tool = service.profile.ticketTool(service.connection.tools);
        if (!tool) throw new TicketDeskError(`${this.label(service)} offers no ticket tool right now`, true);
        const result = await this.callDesk(service, tool, service.profile.ticketArgs(request), {
          signal,
          refused: 'the ticket desk refused the ticket',
        });
        return service.profile.parseTicket(result);
      },
    };
    this.deskOf.set(service.config.name, desk);
    return desk;
  }

  /**
   * A call to the ticket desk: every failure is a TicketDeskError that says whether the outbox
   * should try again (the desk unreachable, busy or failing for a moment) or give up (`refused`,
   * or the desk's own words, when it turned the call down).
   */
  private async callDesk(
    service: Service,
    tool: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; refused: string },
  ): Promise<ToolResult> {
    let result: ToolResult;
    try {
      result = await this.call(service, tool, args, { signal: options.signal });
    } catch (error) {
      const transient = error instanceof TransientToolError ? error : undefined;
      throw new TicketDeskError((error as Error).message, true, transient?.retryAfterMs);
    }
    if (!result.isError) return result;
    const retryable = retryableToolError(result);
    throw new TicketDeskError(
      retryable?.message ?? (resultText(result) || options.refused),
      retryable !== undefined,
      retryable?.retryAfterMs,
    );
  }

  /** One logical call through the service's policy, measured and recorded once. */
  private async call(
    service: Service,
    tool: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; questionId?: string },
  ): Promise<ToolResult> {
    const name = service.config.name;
    const started = performance.now();
    let attempts = 0;
    let outcome: ToolCallOutcome = 'ok';
    let errorMessage: string | undefined;
    try {
      const result = await service.policy.execute(async (attemptSignal) => {
        attempts++;
        const attemptStarted = performance.now();
        let attemptOutcome: ToolCallOutcome = 'ok';
        try {
          const result = await service.connection.callTool(tool, args, {
            signal: attemptSignal,
            timeoutMs: service.config.timeout_ms,
          });
          const retryable = retryableToolError(result);
          if (retryable) {
            attemptOutcome = retryable.rateLimited ? 'rate_limited' : 'error';
            if (retryable.retryAfterMs) await sleep(Math.min(retryable.retryAfterMs, 5_000), attemptSignal);
            throw new TransientToolError(retryable.message, attemptOutcome, retryable.retryAfterMs);
          }
          if (result.isError) attemptOutcome = 'tool_error';
          return result;
        } catch (error) {
          if (error instanceof TransientToolError) throw error;
          if (attemptSignal.aborted || (error as { code?: number }).code === -32001) {
            attemptOutcome = 'timeout';
            throw new TransientToolError(`no answer within ${service.config.timeout_ms} ms`, 'timeout');
          }
          if (error instanceof ServiceUnavailableError || isConnectionFailure(error)) {
            attemptOutcome = 'error';
            if (!(error instanceof ServiceUnavailableError))
              service.connection.markBroken((error as Error).message);
            throw new TransientToolError((error as Error).message, 'error');
          }
          attemptOutcome = 'error';
          throw error;
        } finally {
          const labels = { service: name, tool, outcome: attemptOutcome };
          this.metrics.requests.inc(labels);
          this.metrics.duration.observe(labels, (performance.now() - attemptStarted) / 1000);
        }
      }, options.signal);
      if (result.isError) {
        outcome = 'tool_error';
        errorMessage = resultText(result).slice(0, 500);
      }
      return result;
    } catch (error) {
      ({ outcome, message: errorMessage } = classify(error, service.config.timeout_ms));
      if (outcome === 'circuit_open')
        throw new ServiceUnavailableError(name, 'circuit open after repeated failures');
      if (error instanceof TaskCancelledError)
        throw new TransientToolError(errorMessage ?? 'timed out', 'timeout');
      throw error;
    } finally {
      const latencyMs = Math.round(performance.now() - started);
      this.metrics.toolCalls.inc({ service: name, tool, outcome });
      this.options.recordToolCall?.({
        service: name,
        tool,
        outcome,
        latencyMs,
        attempts: Math.max(attempts, 1),
        error: errorMessage,
        questionId: options.questionId,
      });
      if (outcome !== 'ok' && outcome !== 'tool_error')
        this.logger.debug({ service: name, tool, outcome, err: errorMessage }, 'MCP call failed');
    }
  }
}

function classify(error: unknown, timeoutMs: number): { outcome: ToolCallOutcome; message: string } {
  if (error instanceof BrokenCircuitError) return { outcome: 'circuit_open', message: 'circuit open' };
  if (error instanceof BulkheadRejectedError)
    return { outcome: 'error', message: 'too many calls waiting for this service' };
  if (error instanceof TaskCancelledError)
    return { outcome: 'timeout', message: `no answer within ${timeoutMs} ms` };
  if (error instanceof TransientToolError) return { outcome: error.outcome, message: error.message };
  return { outcome: 'error', message: error instanceof Error ? error.message : String(error) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
