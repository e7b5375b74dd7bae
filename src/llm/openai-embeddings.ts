import { type Embedder, EmbedderError } from '../support/reranking/index.js';
import { endpointUrl, type OpenAiClientOptions, postOpenAi } from './openai-http.js';

/** Attempts default to 2: reranking has little time. */
export type OpenAiEmbeddingsOptions = OpenAiClientOptions;

/**
 * Any OpenAI-compatible `POST {baseUrl}/embeddings` (OpenAI, Ollama, vLLM, LM Studio, TEI). A
 * 429 is retried after its `retry-after`, a 5xx after a short pause, both only while the caller's
 * deadline (its signal) allows.
 */
export class OpenAiEmbeddings implements Embedder {
  readonly model: string;
  private readonly url: string;

  constructor(private readonly options: OpenAiEmbeddingsOptions) {
    this.model = options.model;
    this.url = endpointUrl(options.baseUrl, 'embeddings');
  }

  async embed(texts: string[], { signal }: { signal: AbortSignal }): Promise<number[][]> {
    if (texts.length === 0) return [];
    const body = await postOpenAi({
      url: this.url,
      body: { model: this.model, input: texts },
      apiKey: this.options.apiKey,
      attempts: this.options.attempts ?? 2,
      signal,
      fetch: this.options.fetch,
      name: 'the embeddings endpoint',
      fail: (message, kind, status) => new EmbedderError(message, kind, status),
    });
    return parseEmbeddings(body, texts.length);
  }
}

/** The vectors of an embeddings response in the order of the inputs, or a malformed-answer error. */
export function parseEmbeddings(body: string, expected: number): number[][] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw malformed('something that is not JSON');
  }
  const data = (json as { data?: unknown })?.data;
  if (!Array.isArray(data)) throw malformed('no data list');
  if (data.length !== expected) throw malformed(`${data.length} embeddings for ${expected} inputs`);
  const vectors: number[][] = new Array(expected);
  for (const [position, item] of data.entries()) {
    const { index = position, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected)
      throw malformed(`an embedding with index ${JSON.stringify(index)}`);
    if (vectors[index]) throw malformed(`two embeddings with index ${index}`);
    if (
      !Array.isArray(embedding) ||
      embedding.length === 0 ||
      !embedding.every((value) => typeof value === 'number' && Number.isFinite(value))
    )
      throw malformed(`embedding ${index} is not a list of numbers (base64 is not asked for)`);
    vectors[index] = embedding as number[];
  }
  const dims = vectors[0]?.length;
  if (vectors.some((vector) => vector.length !== dims))
    throw malformed('embeddings of different lengths in one answer');
  return vectors;
}

function malformed(what: string): EmbedderError {
  return new EmbedderError(`the embeddings endpoint answered with ${what}`, 'malformed');
}
