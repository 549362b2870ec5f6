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
