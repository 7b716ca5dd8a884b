import { isRecord, type JsonRecord, type OpenAiTextPart } from '@turnout/protocol';
import { invalidRequest, joinNonEmpty, recordsOf, requireString, stringOr } from './narrow';

/**
 * User-side content blocks (in a user turn or inside a `tool_result`) as text and image parts.
 * docs/protocol.md §1.4: text → text part (empty dropped); image → image part; `document` and
 * `search_result` have no OpenAI or Ollama equivalent and are inlined as text. Unknown block
 * types (and `tool_reference`, `container_upload`, server-tool results) give no part: dropped,
 * never a 400. Images keep their source as it came: OpenAI wants a `data:` URL, Ollama the raw
 * base64 (§8.1), so each renderer builds its own shape.
 */
export type ImageSource =
  | { readonly kind: 'base64'; readonly mediaType: string; readonly data: string }
  | { readonly kind: 'url'; readonly url: string };
export interface ImagePart {
  readonly type: 'image';
  readonly source: ImageSource;
}
export type UserPart = OpenAiTextPart | ImagePart;

/** What the target can take that decides, during conversion, whether a block is a 400. */
export interface PartsPolicy {
  /**
   * Whether an image may be given as a URL the upstream fetches itself (llama.cpp, vLLM,
   * OpenAI). Ollama and LM Studio take only inline data: a URL image is a clear 400 rather
   * than something the server rejects (docs/protocol.md §1.4, §8.1).
   */
  readonly imageUrls: boolean;
}

export function textPart(text: string): OpenAiTextPart {
  return { type: 'text', text };
}

export function userParts(block: JsonRecord, path: string, policy: PartsPolicy): readonly UserPart[] {
  switch (block.type) {
    case 'text': {
      const text = stringOr(block.text, '');
      // The real API rejects empty text blocks (§1.3); an empty part only confuses templates.
      return text === '' ? [] : [textPart(text)];
    }
    case 'image':
      return [imagePart(block.source, `${path}.source`, policy)];
    case 'document':
      return documentParts(block, path, policy);
    case 'search_result':
      return searchResultParts(block);
    default:
      return [];
  }
}

/** base64 and url sources are kept (a url only where the upstream fetches it); Files API ids exist only on Anthropic. */
export function imagePart(source: unknown, path: string, policy: PartsPolicy): ImagePart {
  if (!isRecord(source)) throw invalidRequest(`${path}: Field required (an image source object)`);
  switch (source.type) {
    case 'base64': {
      const mediaType = requireString(source, 'media_type', path);
      const data = requireString(source, 'data', path);
      return { type: 'image', source: { kind: 'base64', mediaType, data } };
    }
    case 'url': {
      const url = requireString(source, 'url', path);
      if (!policy.imageUrls) {
        throw invalidRequest(`${path}: this upstream does not fetch image URLs; send the image as a base64 source`);
      }
      return { type: 'image', source: { kind: 'url', url } };
    }
    case 'file':
      throw invalidRequest(`${path}: image source type "file" (Files API) is only available on Anthropic upstreams; send the image as a base64 source`);
    default:
      throw invalidRequest(`${path}.type: unsupported image source type ${JSON.stringify(source.type)}`);
  }
}

/**
 * Plain-text and `content` documents are inlined as text, headed by their title and context
 * (§1.4). PDFs (base64, url) and Files API documents need extraction we do not do: 400, so the
 * client learns it rather than the model silently missing the document.
 */
function documentParts(block: JsonRecord, path: string, policy: PartsPolicy): readonly UserPart[] {
  const source = block.source;
  const sourcePath = `${path}.source`;
  if (!isRecord(source)) throw invalidRequest(`${sourcePath}: Field required (a document source object)`);
  const header = [stringOr(block.title, ''), stringOr(block.context, '')];
  switch (source.type) {
    case 'text':
      return nonEmptyText(joinNonEmpty([...header, requireString(source, 'data', sourcePath)], '\n\n'));
    case 'content': {
      if (typeof source.content === 'string') return nonEmptyText(joinNonEmpty([...header, source.content], '\n\n'));
      const inner = recordsOf(source.content).flatMap((item, i) => userParts(item, `${sourcePath}.content.${i}`, policy));
      const headerText = joinNonEmpty(header, '\n\n');
      return headerText === '' ? inner : [textPart(headerText), ...inner];
    }
    case 'base64':
    case 'url':
    case 'file':
      throw invalidRequest(
        `${sourcePath}: document source type ${JSON.stringify(source.type)} (PDF or file) cannot be sent to a translated upstream (OpenAI Chat, Ollama); send the text instead`,
      );
    default:
      throw invalidRequest(`${sourcePath}.type: unsupported document source type ${JSON.stringify(source.type)}`);
  }
}

/** `search_result` → "title\nsource\n\n<its text blocks joined with \n>" (§1.4: inline as text). */
function searchResultParts(block: JsonRecord): readonly UserPart[] {
  const body = joinNonEmpty(
    recordsOf(block.content).map((item) => (item.type === 'text' ? stringOr(item.text, '') : '')),
    '\n',
  );
  const header = joinNonEmpty([stringOr(block.title, ''), stringOr(block.source, '')], '\n');
  return nonEmptyText(joinNonEmpty([header, body], '\n\n'));
}

function nonEmptyText(text: string): readonly UserPart[] {
  return text === '' ? [] : [textPart(text)];
}
