import { Injectable, type OnModuleInit } from '@nestjs/common';
import { openEnvelope, sealEnvelope } from '../config/aes-gcm-envelope';
import { ServiceKeysService } from '../service-keys/service-keys.service';

/** The service key webhook secrets are encrypted with (wrapped by the data key, re-wrapped by a rotation). */
const WEBHOOK_SECRETS_KEY = 'webhook-secrets';
const FORMAT_V1 = 0x01;

/**
 * Keeps webhook secrets at rest encrypted (AES-256-GCM) under a service key of their own: the
 * service must recover them to sign, so a hash would not do, and a data-key rotation re-wraps that
 * key without touching the secrets. The additional data binds each ciphertext to its endpoint.
 */
@Injectable()
export class WebhookSecretCipher implements OnModuleInit {
  private key: Buffer | null = null;

  constructor(private readonly serviceKeys: ServiceKeysService) {}

  async onModuleInit(): Promise<void> {
    this.key = await this.serviceKeys.key(WEBHOOK_SECRETS_KEY);
  }

  encrypt(secret: string, endpointId: string): Buffer {
    return sealEnvelope(FORMAT_V1, this.loadedKey(), Buffer.from(secret, 'utf8'), associatedData(endpointId));
  }

  /** Throws if the bytes were altered, belong to another endpoint or were sealed with another key. */
  decrypt(sealed: Uint8Array, endpointId: string): string {
    const bytes = Buffer.from(sealed);
    if (bytes[0] !== FORMAT_V1) throw new Error(`the secret of webhook ${endpointId} is not in a known format`);
    return openEnvelope(bytes, this.loadedKey(), associatedData(endpointId)).toString('utf8');
  }

  private loadedKey(): Buffer {
    if (this.key === null) throw new Error('the webhook secrets key is not loaded yet');
    return this.key;
  }
}

function associatedData(endpointId: string): Buffer {
  return Buffer.from(`ordertrace-webhook-secret/1\n${endpointId}`, 'utf8');
}
