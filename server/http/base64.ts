import { ApiErrorCode } from '../../shared/guardant/codes';
import { ApiError } from './api-error';

/**
 * Memory data arrives as standard base64. The reference's own example, "AdaFFFlgYWJj==", carries
 * padding that twelve characters do not need, and its answer drops it; so padding is ignored and only
 * the characters before it count. What remains must be a length base64 can produce: a lone trailing
 * character (length 4n+1) encodes no whole byte and is refused rather than silently dropped.
 */
export function decodeBase64Data(text: string, field = 'data'): Buffer {
  const body = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(body)) {
    throw new ApiError(ApiErrorCode.InvalidField, `${field}: must be base64 (A–Z, a–z, 0–9, +, /)`);
  }
  if (body.length % 4 === 1) {
    throw new ApiError(
      ApiErrorCode.InvalidField,
      `${field}: ${body.length} base64 characters do not make whole bytes`,
    );
  }
  return Buffer.from(body, 'base64');
}
