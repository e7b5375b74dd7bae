import type { AppConfig } from '../config/env.js';
import { OpenAiEmbeddings } from '../llm/openai-embeddings.js';

export interface EmbeddingsCheck {
  name: 'embeddings';
  ok: boolean;
  detail: string;
}

/** The EMBEDDINGS_MODEL asked to embed one text: whether it answers, and with vectors of which dimension. */
export async function checkEmbeddings(
  embeddings: NonNullable<AppConfig['embeddings']>,
  sample: string,
  timeoutMs = 15_000,
): Promise<EmbeddingsCheck> {
  const embedder = new OpenAiEmbeddings({
    baseUrl: embeddings.baseUrl,
    model: embeddings.model,
    apiKey: embeddings.apiKey,
  });
  const where = `${embeddings.model} at ${embeddings.baseUrl}`;
  const started = performance.now();
  try {
    const [vector] = await embedder.embed([sample], { signal: AbortSignal.timeout(timeoutMs) });
    const ms = Math.round(performance.now() - started);
    return {
      name: 'embeddings',
      ok: true,
      detail: `${where}: ${vector?.length ?? 0} dimensions in ${ms} ms`,
    };
  } catch (error) {
    return { name: 'embeddings', ok: false, detail: `${where}: ${(error as Error).message}` };
  }
}
