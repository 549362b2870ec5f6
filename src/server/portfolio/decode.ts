/**
 * Excel on Windows still saves "CSV" in Windows-1252 unless told otherwise ("CSV UTF-8"). Reading
 * such a file as UTF-8 turns every "Gómez" into "G�mez", silently. Bytes that are valid UTF-8
 * are UTF-8; anything else is read as Windows-1252, the only other encoding those files use.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Which encoding a streamed file turned out to be; read it once the stream has been consumed. */
export interface StreamEncoding {
  encoding: 'utf-8' | 'windows-1252';
}

/** The last 3 bytes of the stream so far (an unfinished UTF-8 sequence is at most that long). */
function lastBytes(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= 3) return chunk.slice(chunk.length - 3);
  const both = new Uint8Array(tail.length + chunk.length);
  both.set(tail);
  both.set(chunk, tail.length);
  return both.slice(Math.max(0, both.length - 3));
}

/**
 * decodeCsvBytes for a file that arrives in pieces, never holding it whole. Decided on the stream:
 * UTF-8 until a byte sequence is not UTF-8, Windows-1252 from there on. Both read ASCII the same,
 * so a file is in effect decided at its first non-ASCII byte — a Windows-1252 file's first "ó"
 * switches it, and nothing read before differs. (A file that is valid UTF-8 there and breaks
 * later is a mix no reading gets right: it is UTF-8 up to the piece that broke, 1252 after.)
 * Strings pass through unchanged (a file already decoded).
 */
export async function* decodeCsvStream(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  found: StreamEncoding,
): AsyncGenerator<string> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let cp1252: TextDecoder | null = null;
  let tail: Uint8Array = new Uint8Array(0);
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      if (chunk !== '') yield chunk;
      continue;
    }
    if (cp1252) {
      yield cp1252.decode(chunk, { stream: true });
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(chunk, { stream: true });
    } catch {
      cp1252 = new TextDecoder('windows-1252');
      found.encoding = 'windows-1252';
      yield cp1252.decode(chunk, { stream: true });
      continue;
    }
    tail = lastBytes(tail, chunk);
    if (text !== '') yield text;
  }
  if (cp1252) {
    const rest = cp1252.decode();
    if (rest !== '') yield rest;
    return;
  }
  try {
    const rest = utf8.decode();
    if (rest !== '') yield rest;
  } catch {
    // the file ends inside a UTF-8 sequence: those last bytes are Windows-1252 characters
    found.encoding = 'windows-1252';
    let i = tail.length - 1;
    while (i > 0 && (tail[i]! & 0xc0) === 0x80) i--;
    yield new TextDecoder('windows-1252').decode(tail.subarray(i));
  }
}
