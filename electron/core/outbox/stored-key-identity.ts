import { z } from 'zod';
import { keyIdentitySchema } from '../../../shared/station/models';

/**
 * An add-keys item's key identities as stored in `outbox.payload`. Items queued before the station named
 * a key's model `model` everywhere (issue 11) stored it under the wire's name, `dongleModel`; such an
 * item may still be waiting in a station's database, so it is read in today's words.
 */
export const storedKeyIdentitySchema = z.preprocess((stored) => {
  if (typeof stored !== 'object' || stored === null || 'model' in stored || !('dongleModel' in stored)) {
    return stored;
  }
  const { dongleModel, ...rest } = stored as Record<string, unknown>;
  return { ...rest, model: dongleModel };
}, keyIdentitySchema);
