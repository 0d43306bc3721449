/**
 * The use cases of gridhook, free of any transport: REST and SOAP are thin
 * doors onto these. Every method takes the calling Principal first and
 * throws GridhookError for anything the caller got wrong.
 */
import { AuthService } from './auth.js';
import { CallbackService } from './callbacks.js';
import type { ServiceDeps } from './deps.js';
import { DirectoryService } from './directory.js';
import { EventService } from './events.js';
import { EventStreamHub } from './event-stream.js';
import { ParcelService } from './parcels.js';
import { ReplayService } from './replays.js';
import { SessionService } from './sessions.js';
import { StatsService } from './stats.js';

export interface Services {
  auth: AuthService;
  callbacks: CallbackService;
  events: EventService;
  replays: ReplayService;
  directory: DirectoryService;
  parcels: ParcelService;
  sessions: SessionService;
  stats: StatsService;
  /** The live stream's one reader of the store in this process. */
  eventStream: EventStreamHub;
  /** Throws when the store cannot be reached (readiness). */
  ready(): Promise<void>;
}

export function createServices(deps: ServiceDeps): Services {
  const callbacks = new CallbackService(deps);
  const auth = new AuthService(deps.store);
  return {
    auth,
    callbacks,
    events: new EventService(deps, callbacks),
    replays: new ReplayService(deps, callbacks),
    directory: new DirectoryService(deps),
    parcels: new ParcelService(deps),
    sessions: new SessionService(deps, auth),
    stats: new StatsService(deps, callbacks),
    eventStream: new EventStreamHub(deps.store, deps.logger),
    ready: () => deps.store.ping(),
  };
}

export type { ServiceDeps, ImmediateDelivery } from './deps.js';
export type { AuthService } from './auth.js';
export type {
  CallbackService,
  CallbackInput,
  CallbackChanges,
  CallbackQuery,
  CallbackWithSecret,
  TestOutcome,
} from './callbacks.js';
export type { SessionService, OpenedSession, EndedSession } from './sessions.js';
export type { StatsService, Overview } from './stats.js';
export type { EventService, PublishRequest, PublishEventInput, EventQuery, EventDetail } from './events.js';
export type { ReplayService, ReplayRequest } from './replays.js';
export type { ParcelService, ParcelUpload, UploadFields, ParcelQuery, ParcelDownload } from './parcels.js';
export type {
  DirectoryService,
  MailboxQuery,
  EcGridIdInput,
  EcGridIdQuery,
  EcGridIdSearch,
  EcGridIdChanges,
  UserInput,
  UserQuery,
  IssuedApiKey,
} from './directory.js';
