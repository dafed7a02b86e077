/** An embedding as OpenAI's `encoding_format: "base64"` sends it: little-endian float32 bytes, base64. */
export function float32Base64(v: Float32Array): string {
  const bytes = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) bytes.writeFloatLE(v[i]!, i * 4);
  return bytes.toString('base64');
}
