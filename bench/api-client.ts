/** The few REST calls the scenarios make, over one keep-alive pool. */
import { Pool } from 'undici';
import type { EventType } from '../src/domain/types.js';
import { ADMIN_KEY } from './processes.js';

export interface PublishEvent {
  callBackEvent: EventType;
  networkId: number;
  mailboxId: number;
  ecGridId: number;
  parcelId: number;
  fileName: string;
}

export interface PublishAnswer {
  eventIds: number[];
  matched: number[];
}

export class ApiClient {
  private readonly pool: Pool;

  constructor(baseUrl: string, connections = 32) {
    this.pool = new Pool(baseUrl, { connections, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const answer = await this.pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
      body: JSON.stringify(body),
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`POST ${path}: HTTP ${answer.statusCode} ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { data: T }).data;
  }

  async createCallback(url: string, eventType: EventType): Promise<number> {
    const data = await this.post<{ callBackQueueId: number }>('/v2/callbacks/create', {
      networkId: 1,
      mailboxId: 0,
      ecGridId: 0,
      callBackUrl: url,
      callBackEvent: eventType,
    });
    return data.callBackQueueId;
  }

  publish(events: PublishEvent[]): Promise<PublishAnswer> {
    return this.post<PublishAnswer>('/v2/callbacks/events/publish', { events });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
