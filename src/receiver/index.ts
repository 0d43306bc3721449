/** The receiver kit: `import { verifyWebhook } from 'gridhook/receiver'`. */
export { BadSignatureError, MalformedBodyError, StaleTimestampError, WebhookError, type WebhookErrorCode } from './errors.js';
export { fastifyWebhookReceiver, nodeWebhookHandler, type FastifyWebhookOptions, type HandlerOptions } from './handlers.js';
export { verifyWebhook, type GridhookEvent, type HeaderSource } from './verify.js';
