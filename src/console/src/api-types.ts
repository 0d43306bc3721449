/** Generated from /openapi.json by `npm run console:api-types`; do not edit. */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @enum {string} */
                                status: "ok";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database can be reached */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @enum {string} */
                                status: "ok";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/{callBackQueueId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One callback
         * @description With its endpoint health. For a callback gridhook suspended, keptEvents counts the Pending events that go out when it is activated again.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The callback */
                    callBackQueueId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /**
                                 * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                 * @enum {string}
                                 */
                                callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                callBackQueueId: number;
                                callBackUrl: string;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                ecGridId: number;
                                failingSince: string | null;
                                frequency: number;
                                /** @description Whether attempts carry HTTP Basic credentials */
                                hasBasicAuth: boolean;
                                /** @description Whether attempts carry custom headers */
                                hasCustomHeaders: boolean;
                                /**
                                 * @description healthy; failing (since failingSince, no success since); suspended-by-gridhook (see suspendReason)
                                 * @enum {string}
                                 */
                                health: "healthy" | "failing" | "suspended-by-gridhook";
                                /** @description For a callback gridhook suspended: Pending events kept for when it is activated */
                                keptEvents?: number;
                                mailboxId: number;
                                /** @description Most events sent per second across all workers, or null: unlimited */
                                maxPerSecond: number | null;
                                networkId: number;
                                /**
                                 * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                                 * @enum {string}
                                 */
                                onFailure: "block" | "skip";
                                /**
                                 * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                                 * @enum {string}
                                 */
                                ordering: "none" | "fifo";
                                /**
                                 * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                                 * @enum {string}
                                 */
                                orderingKey: "callback" | "partner";
                                /** @description The receiver asked (429 with Retry-After) that nothing be sent before this time */
                                pausedUntil: string | null;
                                retries: number;
                                /** @description Seconds before each retry, or null: frequency doubled per retry */
                                retrySchedule: number[] | null;
                                /** @enum {string} */
                                status: "Active" | "Suspended";
                                suspendedByGridhookAt: string | null;
                                suspendReason: string | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                updatedAt: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a callback
         * @description Its pending events become Canceled.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The callback */
                    callBackQueueId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBackQueueId: number;
                                /** @enum {boolean} */
                                deleted: true;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/{callBackQueueId}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The callback's signing secret
         * @description The whsec_ secret to verify webhook-signature with, and during a rotation grace period the previous one, which still signs as well.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The callback */
                    callBackQueueId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBackQueueId: number;
                                /** @description The secret before the last rotation while it still signs as well, else null */
                                previousSecret: string | null;
                                previousSecretExpiresAt: string | null;
                                /** @description The whsec_ secret events are signed with */
                                secret: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a callback
         * @description The answer carries the signing secret (GET /v2/callbacks/{callBackQueueId}/secret shows it again). basicAuth and customHeaders are stored encrypted and never answered.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description HTTP Basic credentials sent with every attempt (ECGridOS HTTPAuthentication). Stored encrypted; answers only say whether they are set (hasBasicAuth). */
                        basicAuth?: {
                            password: string;
                            user: string;
                        };
                        /**
                         * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                         * @enum {string}
                         */
                        callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                        /** @description Publicly reachable https URL that events are POSTed to */
                        callBackUrl: string;
                        /** @description Headers sent with every attempt, e.g. {"X-Receiver-Token": "…"}. Stored encrypted; answers only say whether they are set (hasCustomHeaders). Content-Type, Host, User-Agent and the webhook-* headers cannot be replaced. */
                        customHeaders?: {
                            [key: string]: string;
                        };
                        /** @description 0 (default): every ECGrid ID */
                        ecGridId?: number;
                        /**
                         * @description Minimum seconds between attempts of one event (grows on each retry)
                         * @default 1
                         */
                        frequency?: number;
                        /** @description 0 (default): every mailbox (for a mailbox key: its own) */
                        mailboxId?: number;
                        /** @description Most events sent to this callback per second, across all workers (default: unlimited). Events over the limit wait; they do not fail or use retries */
                        maxPerSecond?: number;
                        /** @description 0 (default): the API key's own network */
                        networkId?: number;
                        /**
                         * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                         * @enum {string}
                         */
                        onFailure?: "block" | "skip";
                        /**
                         * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                         * @enum {string}
                         */
                        ordering?: "none" | "fifo";
                        /**
                         * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                         * @enum {string}
                         */
                        orderingKey?: "callback" | "partner";
                        /**
                         * @description Retries after a failed first attempt before the event is Failed
                         * @default 3
                         */
                        retries?: number;
                        /** @description Seconds to wait before each retry, e.g. Standard Webhooks' [5, 300, 1800, 7200, 18000, 36000, 36000]. Replaces the backoff from frequency; its length is the number of retries. */
                        retrySchedule?: number[];
                        /** @enum {string} */
                        status?: "Active" | "Suspended";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /**
                                 * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                 * @enum {string}
                                 */
                                callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                callBackQueueId: number;
                                callBackUrl: string;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                ecGridId: number;
                                failingSince: string | null;
                                frequency: number;
                                /** @description Whether attempts carry HTTP Basic credentials */
                                hasBasicAuth: boolean;
                                /** @description Whether attempts carry custom headers */
                                hasCustomHeaders: boolean;
                                /**
                                 * @description healthy; failing (since failingSince, no success since); suspended-by-gridhook (see suspendReason)
                                 * @enum {string}
                                 */
                                health: "healthy" | "failing" | "suspended-by-gridhook";
                                /** @description For a callback gridhook suspended: Pending events kept for when it is activated */
                                keptEvents?: number;
                                mailboxId: number;
                                /** @description Most events sent per second across all workers, or null: unlimited */
                                maxPerSecond: number | null;
                                networkId: number;
                                /**
                                 * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                                 * @enum {string}
                                 */
                                onFailure: "block" | "skip";
                                /**
                                 * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                                 * @enum {string}
                                 */
                                ordering: "none" | "fifo";
                                /**
                                 * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                                 * @enum {string}
                                 */
                                orderingKey: "callback" | "partner";
                                /** @description The receiver asked (429 with Retry-After) that nothing be sent before this time */
                                pausedUntil: string | null;
                                retries: number;
                                /** @description Seconds before each retry, or null: frequency doubled per retry */
                                retrySchedule: number[] | null;
                                /** @description The whsec_ signing secret; shown only on create and rotate-secret */
                                secret: string;
                                /** @enum {string} */
                                status: "Active" | "Suspended";
                                suspendedByGridhookAt: string | null;
                                suspendReason: string | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                updatedAt: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One event with its attempt log */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The event */
                    eventId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                attemptLog: {
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    attemptDateTime: string;
                                    durationMs: number;
                                    error: string | null;
                                    httpStatus: number | null;
                                    /** @description The first part of the body the receiver answered with (at most 1,000 characters of what was read, control characters replaced, the callback's credentials masked); null when no answer came */
                                    responseBody: string | null;
                                    /** @description The header block the receiver answered with, one "name: value" a line (at most 2,000 characters, control characters replaced); null when no answer came */
                                    responseHeaders: string | null;
                                }[];
                                attempts: number;
                                /**
                                 * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                 * @enum {string}
                                 */
                                callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                callBackQueueId: number;
                                callsRemaining: number;
                                ecGridId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                eventDateTime: string;
                                eventId: number;
                                fileName: string;
                                isTest: boolean;
                                lastAttempt: string | null;
                                lastError: string | null;
                                lastHttpStatus: number | null;
                                mailboxId: number;
                                networkId: number;
                                nextCall: string | null;
                                parcelId: number;
                                /** @description The JSON body posted to the receiver, byte for byte (signed as is) */
                                payload: string;
                                /** @description The headers each attempt sends with the payload; the signature and the callback's credentials are masked, and the timestamp is each attempt's own */
                                requestHeaders: {
                                    name: string;
                                    value: string;
                                }[];
                                /** @enum {string} */
                                status: "Pending" | "Delivered" | "Failed" | "Canceled";
                                /** @description For a CallBackSuspended event: the callback gridhook suspended */
                                suspendedCallBackQueueId?: number;
                                /** @description Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it. */
                                webhookId: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish events from an outside system
         * @description Each event is fanned out to every Active callback of its type whose scope matches. Every event is checked before any is written. Root and NetworkAdmin keys only.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        events: {
                            /**
                             * @description The event type
                             * @enum {string}
                             */
                            callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery";
                            /** @description The ECGrid ID involved (in that mailbox); 0: none */
                            ecGridId?: number;
                            /** @default  */
                            fileName?: string;
                            /** @description The mailbox the event happened in */
                            mailboxId: number;
                            /** @description 0 (default): the API key's own network */
                            networkId?: number;
                            /** @default 0 */
                            parcelId?: number;
                        }[];
                        /** @description Sending the same key again creates nothing and answers as the first time */
                        idempotencyKey?: string;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description Events created, in input order */
                                eventIds: number[];
                                /** @description For each input, how many callbacks it matched */
                                matched: number[];
                                /** @description True when the idempotency key had been used: nothing new was created */
                                replayed: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a span of events again (recover)
         * @description Re-sends every event of the callback created in [since, until) whose status is in statuses (default ["Failed"]; Delivered and Canceled too when asked) as new attempts of the same events, with the same eventId and webhook-id and a fresh set of retries. Answers a job at once; its batches run in the background, and GET /v2/callbacks/events/replay/{replayId} reports its progress.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Replay events of this callback */
                        callBackQueueId: number;
                        /** @description Events created at or after this time */
                        since: string;
                        /**
                         * @description Which events to send again: Failed (default), Delivered, Canceled, in any combination
                         * @default [
                         *       "Failed"
                         *     ]
                         */
                        statuses?: ("Failed" | "Delivered" | "Canceled")[];
                        /** @description Events created before this time; absent: now */
                        until?: string;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBackQueueId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                finishedAt: string | null;
                                /** @description The last event looked at; the next batch starts after it */
                                lastEventId: number;
                                /** @description Events made Pending again so far */
                                replayed: number;
                                replayId: number;
                                /** @description Events of the callback's range looked at so far */
                                scanned: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                since: string;
                                /** @enum {string} */
                                status: "Running" | "Completed";
                                statuses: ("Failed" | "Delivered" | "Canceled")[];
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                until: string;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                updatedAt: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/replay/{replayId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A replay's progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The replay job */
                    replayId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBackQueueId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                finishedAt: string | null;
                                /** @description The last event looked at; the next batch starts after it */
                                lastEventId: number;
                                /** @description Events made Pending again so far */
                                replayed: number;
                                replayId: number;
                                /** @description Events of the callback's range looked at so far */
                                scanned: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                since: string;
                                /** @enum {string} */
                                status: "Running" | "Completed";
                                statuses: ("Failed" | "Delivered" | "Canceled")[];
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                until: string;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                updatedAt: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry one event, or every Failed event of a callback
         * @description {"eventId"} retries one Failed or Canceled event; {"callBackQueueId", "status": "Failed"} retries every Failed event of the callback (created between beginDate and endDate, when given). Retried events get a fresh set of retries.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description With callBackQueueId: only Failed events created at or after this time */
                        beginDate?: string;
                        /** @description Retry every Failed event of this callback */
                        callBackQueueId?: number;
                        /** @description With callBackQueueId: only Failed events created before this time */
                        endDate?: string;
                        /** @description Retry this one event */
                        eventId?: number;
                        /**
                         * @description With callBackQueueId; only Failed events are retried in bulk
                         * @enum {string}
                         */
                        status?: "Failed";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBackQueueId: number;
                                /** @description The retried event, when one was named */
                                event: {
                                    attempts: number;
                                    /**
                                     * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                     * @enum {string}
                                     */
                                    callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                    callBackQueueId: number;
                                    callsRemaining: number;
                                    ecGridId: number;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    eventDateTime: string;
                                    eventId: number;
                                    fileName: string;
                                    isTest: boolean;
                                    lastAttempt: string | null;
                                    lastError: string | null;
                                    lastHttpStatus: number | null;
                                    mailboxId: number;
                                    networkId: number;
                                    nextCall: string | null;
                                    parcelId: number;
                                    /** @enum {string} */
                                    status: "Pending" | "Delivered" | "Failed" | "Canceled";
                                    /** @description For a CallBackSuspended event: the callback gridhook suspended */
                                    suspendedCallBackQueueId?: number;
                                    /** @description Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it. */
                                    webhookId: string;
                                } | null;
                                /** @description Events made Pending again */
                                retried: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/skip": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Skip one event: the FIFO key it holds up moves on
         * @description {"eventId"} cancels a Pending or Failed event (its status becomes Canceled). On a callback with "ordering": "fifo", a Failed event holds its key until it is retried or skipped; skipping lets the key's next event go. A skipped event can still be retried.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The Pending or Failed event to cancel, so that its FIFO key moves on to the next event */
                        eventId: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                attempts: number;
                                /**
                                 * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                 * @enum {string}
                                 */
                                callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                callBackQueueId: number;
                                callsRemaining: number;
                                ecGridId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                eventDateTime: string;
                                eventId: number;
                                fileName: string;
                                isTest: boolean;
                                lastAttempt: string | null;
                                lastError: string | null;
                                lastHttpStatus: number | null;
                                mailboxId: number;
                                networkId: number;
                                nextCall: string | null;
                                parcelId: number;
                                /** @enum {string} */
                                status: "Pending" | "Delivered" | "Failed" | "Canceled";
                                /** @description For a CallBackSuspended event: the callback gridhook suspended */
                                suspendedCallBackQueueId?: number;
                                /** @description Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it. */
                                webhookId: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events and attempt outcomes as they happen (Server-Sent Events)
         * @description Server-Sent Events (text/event-stream), from the moment of connecting: an `event` message when an event is
         *     created (data: the event, as in queue-list) and an `attempt` message when an attempt is recorded (data: {eventId,
         *     callBackQueueId, attempt: {attemptDateTime, httpStatus, error, durationMs}, event: the event as it stands after it}).
         *     The first message is `ready`. Each message has an id; reconnecting with it in the Last-Event-ID header resumes after
         *     it, or starts with a `reset` message when items were missed (the client should reload what it shows). Scoped as
         *     the events list: a mailbox key sees only its mailbox's events. Authenticated by X-API-Key, or by the console's
         *     session cookie with the X-Gridhook-Console header.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only events (and their attempts) of this callback */
                    callBackQueueId?: string;
                    /** @description Resume after this item, for clients that cannot send the Last-Event-ID header */
                    lastEventId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description A stream of Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delivery health of callbacks over the last 24 hours
         * @description A callback outside your scope answers ObjectNotFound, as everywhere.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The callbacks to report on (1 to 100), e.g. the IDs of one page of /v2/callbacks/list */
                        callBackQueueIds: number[];
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callbacks: {
                                    /** @description Attempts started in the last 24 hours */
                                    attempts24h: number;
                                    callBackQueueId: number;
                                    /** @description Events Failed (any time; retry them to clear) */
                                    failed: number;
                                    lastAttempt: string | null;
                                    /** @description HTTP status of the callback's latest attempt in the last 24 hours; null when it got none (refused, timed out) or there was none */
                                    lastHttpStatus: number | null;
                                    /** @description 95th percentile (nearest rank) of those attempts' durations; null without attempts */
                                    p95LatencyMs: number | null;
                                    /** @description Events pending now */
                                    pending: number;
                                    /** @description Share (0..1) of those attempts answered with a 2xx; null without attempts */
                                    successRate24h: number | null;
                                }[];
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Callbacks in scope */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                         * @enum {string}
                         */
                        callBackEvent?: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                        /** @description Only callbacks scoped to this ECGrid ID */
                        ecGridId?: number;
                        /** @description Only callbacks scoped to this mailbox */
                        mailboxId?: number;
                        /** @description Only this network (0: your own); absent: every network in scope */
                        networkId?: number;
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                        /** @enum {string} */
                        status?: "Active" | "Suspended";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBacks: {
                                    /**
                                     * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                     * @enum {string}
                                     */
                                    callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                    callBackQueueId: number;
                                    callBackUrl: string;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    createdAt: string;
                                    ecGridId: number;
                                    failingSince: string | null;
                                    frequency: number;
                                    /** @description Whether attempts carry HTTP Basic credentials */
                                    hasBasicAuth: boolean;
                                    /** @description Whether attempts carry custom headers */
                                    hasCustomHeaders: boolean;
                                    /**
                                     * @description healthy; failing (since failingSince, no success since); suspended-by-gridhook (see suspendReason)
                                     * @enum {string}
                                     */
                                    health: "healthy" | "failing" | "suspended-by-gridhook";
                                    /** @description For a callback gridhook suspended: Pending events kept for when it is activated */
                                    keptEvents?: number;
                                    mailboxId: number;
                                    /** @description Most events sent per second across all workers, or null: unlimited */
                                    maxPerSecond: number | null;
                                    networkId: number;
                                    /**
                                     * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                                     * @enum {string}
                                     */
                                    onFailure: "block" | "skip";
                                    /**
                                     * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                                     * @enum {string}
                                     */
                                    ordering: "none" | "fifo";
                                    /**
                                     * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                                     * @enum {string}
                                     */
                                    orderingKey: "callback" | "partner";
                                    /** @description The receiver asked (429 with Retry-After) that nothing be sent before this time */
                                    pausedUntil: string | null;
                                    retries: number;
                                    /** @description Seconds before each retry, or null: frequency doubled per retry */
                                    retrySchedule: number[] | null;
                                    /** @enum {string} */
                                    status: "Active" | "Suspended";
                                    suspendedByGridhookAt: string | null;
                                    suspendReason: string | null;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    updatedAt: string;
                                }[];
                                pageNo: number;
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/queue-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Events, newest first */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only events created at or after this time */
                        beginDate?: string;
                        /**
                         * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                         * @enum {string}
                         */
                        callBackEvent?: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                        /** @description Only events of this callback; 0 or absent: every callback in scope */
                        callBackQueueId?: number;
                        /** @description The previous answer's nextCursor: the page after it, as fast deep in the list as on its first page. Instead of pageNo */
                        cursor?: string;
                        /** @description Only events created before this time */
                        endDate?: string;
                        /** @default 1 */
                        pageNo?: number;
                        /** @description Only events this parcel fired */
                        parcelId?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                        /** @enum {string} */
                        status?: "Pending" | "Delivered" | "Failed" | "Canceled";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                events: {
                                    attempts: number;
                                    /**
                                     * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                     * @enum {string}
                                     */
                                    callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                    callBackQueueId: number;
                                    callsRemaining: number;
                                    ecGridId: number;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    eventDateTime: string;
                                    eventId: number;
                                    fileName: string;
                                    isTest: boolean;
                                    lastAttempt: string | null;
                                    lastError: string | null;
                                    lastHttpStatus: number | null;
                                    mailboxId: number;
                                    networkId: number;
                                    nextCall: string | null;
                                    parcelId: number;
                                    /** @enum {string} */
                                    status: "Pending" | "Delivered" | "Failed" | "Canceled";
                                    /** @description For a CallBackSuspended event: the callback gridhook suspended */
                                    suspendedCallBackQueueId?: number;
                                    /** @description Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it. */
                                    webhookId: string;
                                }[];
                                /** @description Send it as cursor for the next page; null on the last page */
                                nextCursor: string | null;
                                pageNo: number;
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New signing secret
         * @description Until previousSecretExpiresAt each event is signed with the old secret as well.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The callback */
                        callBackQueueId: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /**
                                 * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                 * @enum {string}
                                 */
                                callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                callBackQueueId: number;
                                callBackUrl: string;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                ecGridId: number;
                                failingSince: string | null;
                                frequency: number;
                                /** @description Whether attempts carry HTTP Basic credentials */
                                hasBasicAuth: boolean;
                                /** @description Whether attempts carry custom headers */
                                hasCustomHeaders: boolean;
                                /**
                                 * @description healthy; failing (since failingSince, no success since); suspended-by-gridhook (see suspendReason)
                                 * @enum {string}
                                 */
                                health: "healthy" | "failing" | "suspended-by-gridhook";
                                /** @description For a callback gridhook suspended: Pending events kept for when it is activated */
                                keptEvents?: number;
                                mailboxId: number;
                                /** @description Most events sent per second across all workers, or null: unlimited */
                                maxPerSecond: number | null;
                                networkId: number;
                                /**
                                 * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                                 * @enum {string}
                                 */
                                onFailure: "block" | "skip";
                                /**
                                 * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                                 * @enum {string}
                                 */
                                ordering: "none" | "fifo";
                                /**
                                 * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                                 * @enum {string}
                                 */
                                orderingKey: "callback" | "partner";
                                /** @description The receiver asked (429 with Retry-After) that nothing be sent before this time */
                                pausedUntil: string | null;
                                /** @description Until then events are signed with the old secret too */
                                previousSecretExpiresAt: string;
                                retries: number;
                                /** @description Seconds before each retry, or null: frequency doubled per retry */
                                retrySchedule: number[] | null;
                                /** @description The whsec_ signing secret; shown only on create and rotate-secret */
                                secret: string;
                                /** @enum {string} */
                                status: "Active" | "Suspended";
                                suspendedByGridhookAt: string | null;
                                suspendReason: string | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                updatedAt: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event now
         * @description Posts a synthetic event (isTest: true) to the callback's URL at once and answers with the outcome of that first attempt. A failed test event is retried like any other. The callback must be Active.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The callback */
                        callBackQueueId: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                callBackQueueId: number;
                                delivered: boolean;
                                durationMs: number;
                                /** @description Why the attempt failed, or null */
                                error: string | null;
                                /** @description The test event; it keeps this ID on retries */
                                eventId: number;
                                /** @description The receiver's answer, or null when none came */
                                httpStatus: number | null;
                                /** @enum {string} */
                                status: "Pending" | "Delivered" | "Failed" | "Canceled";
                                /** @description Sent as the webhook-id header: unique for ever (eventId repeats after a restore from backup). De-duplicate on it. */
                                webhookId: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/callbacks/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change a callback
         * @description Changes only the fields sent. Suspending cancels its pending events; the scope fields not sent stay as they are. Activating a callback gridhook suspended (health suspended-by-gridhook) sends the Pending events it kept, or cancels them with keptEvents "cancel". A retrySchedule sets retries to its length; null goes back to frequency and retries.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description New HTTP Basic credentials; null removes them */
                        basicAuth?: {
                            password: string;
                            user: string;
                        } | null;
                        /**
                         * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                         * @enum {string}
                         */
                        callBackEvent?: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                        /** @description The callback to change */
                        callBackQueueId: number;
                        /** @description Publicly reachable https URL that events are POSTed to */
                        callBackUrl?: string;
                        /** @description New custom headers, replacing all; null or {} removes them */
                        customHeaders?: {
                            [key: string]: string;
                        } | null;
                        /** @description 0 (default): every ECGrid ID */
                        ecGridId?: number;
                        /**
                         * @description Minimum seconds between attempts of one event (grows on each retry)
                         * @default 1
                         */
                        frequency?: number;
                        /**
                         * @description With status Active, for a callback gridhook suspended: send (default) the Pending events it kept, or cancel them
                         * @enum {string}
                         */
                        keptEvents?: "send" | "cancel";
                        /** @description 0 (default): every mailbox (for a mailbox key: its own) */
                        mailboxId?: number;
                        /** @description A new rate limit; null removes it (unlimited) */
                        maxPerSecond?: number | null;
                        /** @description 0 (default): the API key's own network */
                        networkId?: number;
                        /**
                         * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                         * @enum {string}
                         */
                        onFailure?: "block" | "skip";
                        /**
                         * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                         * @enum {string}
                         */
                        ordering?: "none" | "fifo";
                        /**
                         * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                         * @enum {string}
                         */
                        orderingKey?: "callback" | "partner";
                        /**
                         * @description Retries after a failed first attempt before the event is Failed
                         * @default 3
                         */
                        retries?: number;
                        /** @description A new retry schedule; null goes back to frequency and retries */
                        retrySchedule?: number[] | null;
                        /** @enum {string} */
                        status?: "Active" | "Suspended";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /**
                                 * @description The event type: one of the guide's five, or gridhook's CallBackSuspended
                                 * @enum {string}
                                 */
                                callBackEvent: "InBox" | "OutBox" | "InBoxError" | "OutBoxError" | "ConfirmDelivery" | "CallBackSuspended";
                                callBackQueueId: number;
                                callBackUrl: string;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                ecGridId: number;
                                failingSince: string | null;
                                frequency: number;
                                /** @description Whether attempts carry HTTP Basic credentials */
                                hasBasicAuth: boolean;
                                /** @description Whether attempts carry custom headers */
                                hasCustomHeaders: boolean;
                                /**
                                 * @description healthy; failing (since failingSince, no success since); suspended-by-gridhook (see suspendReason)
                                 * @enum {string}
                                 */
                                health: "healthy" | "failing" | "suspended-by-gridhook";
                                /** @description For a callback gridhook suspended: Pending events kept for when it is activated */
                                keptEvents?: number;
                                mailboxId: number;
                                /** @description Most events sent per second across all workers, or null: unlimited */
                                maxPerSecond: number | null;
                                networkId: number;
                                /**
                                 * @description With fifo, what an event Failed for good does: block (the default) holds its key until the event is retried (POST /v2/callbacks/events/retry) or skipped (POST /v2/callbacks/events/skip); skip lets the key move on
                                 * @enum {string}
                                 */
                                onFailure: "block" | "skip";
                                /**
                                 * @description none (the default): events go out as they come. fifo: one event at a time per ordering key, strictly in publish (eventId) order
                                 * @enum {string}
                                 */
                                ordering: "none" | "fifo";
                                /**
                                 * @description With fifo, what is ordered: callback (the default), all its events; partner, each sender/recipient ECGrid ID pair on its own, so one partner's stuck event does not hold up another's
                                 * @enum {string}
                                 */
                                orderingKey: "callback" | "partner";
                                /** @description The receiver asked (429 with Retry-After) that nothing be sent before this time */
                                pausedUntil: string | null;
                                retries: number;
                                /** @description Seconds before each retry, or null: frequency doubled per retry */
                                retrySchedule: number[] | null;
                                /** @enum {string} */
                                status: "Active" | "Suspended";
                                suspendedByGridhookAt: string | null;
                                suspendReason: string | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                updatedAt: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ids/{ecGridId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One ECGrid ID */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The ECGrid ID */
                    ecGridId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                description: string;
                                ecGridId: number;
                                id: string;
                                mailboxId: number;
                                networkId: number;
                                qualifier: string;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ids/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an ECGrid ID in a mailbox (admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        /** @description ISA06/08 or UNB ID, e.g. ACME */
                        id: string;
                        /** @description The mailbox that owns the ID (0: a mailbox key’s own) */
                        mailboxId?: number;
                        /** @description ISA05/07 or UNB qualifier, e.g. ZZ */
                        qualifier: string;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                description: string;
                                ecGridId: number;
                                id: string;
                                mailboxId: number;
                                networkId: number;
                                qualifier: string;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ids/find": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find ECGrid IDs by qualifier and ID
         * @description Answers every match in scope (at most one per network); an empty list when there is none.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description ISA06/08 or UNB ID, e.g. ACME */
                        id: string;
                        /** @description Only this network (0: your own); absent: every network in scope */
                        networkId?: number;
                        /** @description ISA05/07 or UNB qualifier, e.g. ZZ */
                        qualifier: string;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                ids: {
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    createdAt: string;
                                    description: string;
                                    ecGridId: number;
                                    id: string;
                                    mailboxId: number;
                                    networkId: number;
                                    qualifier: string;
                                    /** @enum {string} */
                                    status: "Active" | "Suspended" | "Terminated";
                                }[];
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ids/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** ECGrid IDs in scope */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only this mailbox */
                        mailboxId?: number;
                        /** @description Only this network (0: your own) */
                        networkId?: number;
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                        /** @enum {string} */
                        status?: "Active" | "Suspended" | "Terminated";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                ids: {
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    createdAt: string;
                                    description: string;
                                    ecGridId: number;
                                    id: string;
                                    mailboxId: number;
                                    networkId: number;
                                    qualifier: string;
                                    /** @enum {string} */
                                    status: "Active" | "Suspended" | "Terminated";
                                }[];
                                pageNo: number;
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ids/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change an ECGrid ID's status or description (admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        /** @description The ECGrid ID to change */
                        ecGridId: number;
                        /** @enum {string} */
                        status?: "Active" | "Suspended" | "Terminated";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                description: string;
                                ecGridId: number;
                                id: string;
                                mailboxId: number;
                                networkId: number;
                                qualifier: string;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/mailboxes/{mailboxId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One mailbox */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The mailbox */
                    mailboxId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                mailboxId: number;
                                name: string;
                                networkId: number;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/mailboxes/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a mailbox (Root, NetworkAdmin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description 0 (default): the API key's own network */
                        networkId?: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                mailboxId: number;
                                name: string;
                                networkId: number;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/mailboxes/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mailboxes in scope */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only this network (0: your own) */
                        networkId?: number;
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                mailboxes: {
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    createdAt: string;
                                    mailboxId: number;
                                    name: string;
                                    networkId: number;
                                    /** @enum {string} */
                                    status: "Active" | "Suspended" | "Terminated";
                                }[];
                                pageNo: number;
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/networks/{networkId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One network */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The network */
                    networkId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description This network's auto-suspend period in seconds; null: the server's default */
                                autoSuspendAfterSeconds: number | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                name: string;
                                networkId: number;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/networks/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a network (Root only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Seconds a callback may fail without one success before gridhook suspends it; the server's default when absent */
                        autoSuspendAfterSeconds?: number;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description This network's auto-suspend period in seconds; null: the server's default */
                                autoSuspendAfterSeconds: number | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                name: string;
                                networkId: number;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/networks/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Every network (Root only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                networks: {
                                    /** @description This network's auto-suspend period in seconds; null: the server's default */
                                    autoSuspendAfterSeconds: number | null;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    createdAt: string;
                                    name: string;
                                    networkId: number;
                                    /** @enum {string} */
                                    status: "Active" | "Suspended" | "Terminated";
                                }[];
                                pageNo: number;
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/networks/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change a network's settings (Root, or its NetworkAdmin)
         * @description autoSuspendAfterSeconds: how long a callback of this network may fail without one success before gridhook suspends it; null goes back to the server's GRIDHOOK_AUTO_SUSPEND_AFTER.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description New auto-suspend period; null: the server's default */
                        autoSuspendAfterSeconds: number | null;
                        /** @description The network to change */
                        networkId: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description This network's auto-suspend period in seconds; null: the server's default */
                                autoSuspendAfterSeconds: number | null;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                name: string;
                                networkId: number;
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/{parcelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One parcel and its status (to its sender and its recipient) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The parcel */
                    parcelId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                bytes: number;
                                /** @description ISA13 or UNB05 */
                                controlNumber: string | null;
                                /** @description 0 when no sender ID could be decided */
                                ecGridIdFrom: number;
                                /** @description 0 when no recipient was found */
                                ecGridIdTo: number;
                                fileName: string;
                                mailboxIdFrom: number;
                                /** @description 0 when no recipient was found */
                                mailboxIdTo: number;
                                networkId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                parcelDate: string;
                                parcelId: number;
                                /** @description null when no envelope was read */
                                standard: ("X12" | "EDIFACT") | null;
                                /**
                                 * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                                 * @enum {string}
                                 */
                                status: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                statusDate: string;
                                /** @description Why it was not delivered; null when it was */
                                statusMessage: string | null;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a parcel's download (InBoxTransferred); the sender's ConfirmDelivery callbacks fire */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The parcel */
                        parcelId: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                bytes: number;
                                /** @description ISA13 or UNB05 */
                                controlNumber: string | null;
                                /** @description 0 when no sender ID could be decided */
                                ecGridIdFrom: number;
                                /** @description 0 when no recipient was found */
                                ecGridIdTo: number;
                                fileName: string;
                                mailboxIdFrom: number;
                                /** @description 0 when no recipient was found */
                                mailboxIdTo: number;
                                networkId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                parcelDate: string;
                                parcelId: number;
                                /** @description null when no envelope was read */
                                standard: ("X12" | "EDIFACT") | null;
                                /**
                                 * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                                 * @enum {string}
                                 */
                                status: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                statusDate: string;
                                /** @description Why it was not delivered; null when it was */
                                statusMessage: string | null;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The content of a parcel in your inbox (InBoxReady), base64-encoded
         * @description The answer is streamed: a large file is never held in memory whole.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The parcel */
                        parcelId: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description The size of the file (decoded) */
                                bytes: number;
                                /**
                                 * Format: byte
                                 * @description The file, base64-encoded, byte for byte as uploaded
                                 */
                                content: string;
                                fileName: string;
                                parcelId: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/inbox-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Parcels that reached mailboxes in scope, in arrival order */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only parcels that arrived at or after this time (ISO 8601 with a zone) */
                        beginDate?: string;
                        /** @description Only parcels that arrived before this time (ISO 8601 with a zone) */
                        endDate?: string;
                        /** @description Only this mailbox; absent: every mailbox in scope (a mailbox key: its own) */
                        mailboxId?: number;
                        /** @description Only this network (0: your own); absent: every network in scope */
                        networkId?: number;
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                        /** @enum {string} */
                        status?: "InBoxReady" | "InBoxTransferred" | "InBoxError";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                pageNo: number;
                                parcels: {
                                    bytes: number;
                                    /** @description ISA13 or UNB05 */
                                    controlNumber: string | null;
                                    /** @description 0 when no sender ID could be decided */
                                    ecGridIdFrom: number;
                                    /** @description 0 when no recipient was found */
                                    ecGridIdTo: number;
                                    fileName: string;
                                    mailboxIdFrom: number;
                                    /** @description 0 when no recipient was found */
                                    mailboxIdTo: number;
                                    networkId: number;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    parcelDate: string;
                                    parcelId: number;
                                    /** @description null when no envelope was read */
                                    standard: ("X12" | "EDIFACT") | null;
                                    /**
                                     * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                                     * @enum {string}
                                     */
                                    status: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    statusDate: string;
                                    /** @description Why it was not delivered; null when it was */
                                    statusMessage: string | null;
                                }[];
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/outbox-list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Parcels sent from mailboxes in scope, with their delivery status, in upload order */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only parcels that arrived at or after this time (ISO 8601 with a zone) */
                        beginDate?: string;
                        /** @description Only parcels that arrived before this time (ISO 8601 with a zone) */
                        endDate?: string;
                        /** @description Only this mailbox; absent: every mailbox in scope (a mailbox key: its own) */
                        mailboxId?: number;
                        /** @description Only this network (0: your own); absent: every network in scope */
                        networkId?: number;
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                        /**
                         * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                         * @enum {string}
                         */
                        status?: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                pageNo: number;
                                parcels: {
                                    bytes: number;
                                    /** @description ISA13 or UNB05 */
                                    controlNumber: string | null;
                                    /** @description 0 when no sender ID could be decided */
                                    ecGridIdFrom: number;
                                    /** @description 0 when no recipient was found */
                                    ecGridIdTo: number;
                                    fileName: string;
                                    mailboxIdFrom: number;
                                    /** @description 0 when no recipient was found */
                                    mailboxIdTo: number;
                                    networkId: number;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    parcelDate: string;
                                    parcelId: number;
                                    /** @description null when no envelope was read */
                                    standard: ("X12" | "EDIFACT") | null;
                                    /**
                                     * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                                     * @enum {string}
                                     */
                                    status: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    statusDate: string;
                                    /** @description Why it was not delivered; null when it was */
                                    statusMessage: string | null;
                                }[];
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/reset-to-inbox/{parcelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a confirmed parcel back in the inbox (InBoxReady) to download it again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The parcel */
                    parcelId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                bytes: number;
                                /** @description ISA13 or UNB05 */
                                controlNumber: string | null;
                                /** @description 0 when no sender ID could be decided */
                                ecGridIdFrom: number;
                                /** @description 0 when no recipient was found */
                                ecGridIdTo: number;
                                fileName: string;
                                mailboxIdFrom: number;
                                /** @description 0 when no recipient was found */
                                mailboxIdTo: number;
                                networkId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                parcelDate: string;
                                parcelId: number;
                                /** @description null when no envelope was read */
                                standard: ("X12" | "EDIFACT") | null;
                                /**
                                 * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                                 * @enum {string}
                                 */
                                status: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                statusDate: string;
                                /** @description Why it was not delivered; null when it was */
                                statusMessage: string | null;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/parcels/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a parcel; it is routed by its X12 ISA or EDIFACT UNB header unless the IDs are given
         * @description Answers the parcel: InBoxReady when it was delivered to the recipient (whose InBox callbacks fire, and the sender's OutBox ones), InBoxError or OutBoxError with statusMessage when it was not (the OutBoxError callbacks of the sender fire, and for a suspended recipient its InBoxError ones). Routing: docs/parcels.md. The file may be up to 104857600 bytes (GRIDHOOK_MAX_PARCEL_BYTES).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: byte
                         * @description The file, base64-encoded (standard alphabet)
                         */
                        content: string;
                        /** @description The sender's ECGrid ID, owned by the sending mailbox; absent: the interchange header's sender */
                        ecGridIdFrom?: number;
                        /** @description The recipient's ECGrid ID; absent: the interchange header's recipient */
                        ecGridIdTo?: number;
                        fileName: string;
                        /** @description The sending mailbox (0 or absent: a mailbox key’s own) */
                        mailboxId?: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                bytes: number;
                                /** @description ISA13 or UNB05 */
                                controlNumber: string | null;
                                /** @description 0 when no sender ID could be decided */
                                ecGridIdFrom: number;
                                /** @description 0 when no recipient was found */
                                ecGridIdTo: number;
                                fileName: string;
                                mailboxIdFrom: number;
                                /** @description 0 when no recipient was found */
                                mailboxIdTo: number;
                                networkId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                parcelDate: string;
                                parcelId: number;
                                /** @description null when no envelope was read */
                                standard: ("X12" | "EDIFACT") | null;
                                /**
                                 * @description InBoxReady: waiting for download; InBoxTransferred: downloaded and confirmed; InBoxError: the recipient refused it (suspended); OutBoxError: not delivered (see statusMessage)
                                 * @enum {string}
                                 */
                                status: "InBoxReady" | "InBoxTransferred" | "InBoxError" | "OutBoxError";
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                statusDate: string;
                                /** @description Why it was not delivered; null when it was */
                                statusMessage: string | null;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/sessions/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in (console)
         * @description With {"loginName", "password"} or {"apiKey"}. Sets the HttpOnly session cookie gridhook_session; calls carrying it must also send the X-Gridhook-Console header. A session ends at sign-out or after the SOAP session idle time without a call. Rate limited per client address and per login. A wrong login name and a wrong password answer alike.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Instead of loginName and password */
                        apiKey?: string;
                        /** @description A user of the directory */
                        loginName?: string;
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                loginName: string;
                                /** @description 0 for Root and network roles */
                                mailboxId: number;
                                networkId: number;
                                /** @enum {string} */
                                role: "Root" | "NetworkAdmin" | "NetworkUser" | "MailboxAdmin" | "MailboxUser";
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                                userId: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/sessions/sign-out": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out (console)
         * @description Ends the session of the gridhook_session cookie and clears the cookie. No body is needed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description False when there was no live session to end */
                                signedOut: boolean;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/stats/latency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A callback's delivery latency over time: p50 and p95 attempt duration per bucket
         * @description Attempts started in each bucket of the window, and the nearest-rank percentiles of their durations. A callback out of scope answers 404.
         */
        get: {
            parameters: {
                query: {
                    /** @description Width of one bucket (default 1): divides minutes, in at most 288 buckets */
                    bucketMinutes?: string;
                    /** @description The callback */
                    callBackQueueId: string;
                    /** @description Length of the window, ending with the current bucket: 1 to 1440 minutes (default 60) */
                    minutes?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Delivery latency of one callback's attempts over time */
                            data: {
                                bucketMinutes: number;
                                /** @description Every bucket of [from, to), oldest first */
                                buckets: {
                                    /** @description Attempts started in the bucket */
                                    attempts: number;
                                    /** @description Median of those attempts' durations (nearest rank, ms); null without attempts */
                                    p50LatencyMs: number | null;
                                    /** @description 95th percentile of those attempts' durations (nearest rank, ms); null without attempts */
                                    p95LatencyMs: number | null;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    start: string;
                                }[];
                                callBackQueueId: number;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                from: string;
                                /** @description True when more of the callback's events were attempted in the window than are read (the newest 20,000, created from a day before the window to its end); the oldest buckets may then miss attempts */
                                sampled: boolean;
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                to: string;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/stats/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivered, failed and pending events, per minute and in total, within your scope
         * @description With ?callBackQueueId=N, only that callback's events (a callback out of scope answers 404).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only this callback's events */
                    callBackQueueId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                countedAt: string;
                                /** @description Up to 5 callbacks with the most events Failed in the last 24 hours, most first */
                                failingCallbacks: {
                                    callBackQueueId: number;
                                    failed: number;
                                }[];
                                lastDay: {
                                    /** @description Events delivered in the period */
                                    delivered: number;
                                    /** @description Events that used up their retries in the period */
                                    failed: number;
                                    /** @description Events created in the period and still pending */
                                    pending: number;
                                };
                                lastHour: {
                                    /** @description Events delivered in the period */
                                    delivered: number;
                                    /** @description Events that used up their retries in the period */
                                    failed: number;
                                    /** @description Events created in the period and still pending */
                                    pending: number;
                                };
                                /** @description When the oldest pending event was created */
                                oldestPending: string | null;
                                /** @description The last 60 minutes, oldest first: events finished in each minute, by outcome */
                                perMinute: {
                                    delivered: number;
                                    failed: number;
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    minute: string;
                                }[];
                                /** @description Pending events now */
                                queueDepth: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/users/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a user below you (admins)
         * @description Root creates any role; a NetworkAdmin NetworkUser, MailboxAdmin and MailboxUser users of its network; a MailboxAdmin MailboxUser users of its mailbox. Give the user a key with key-generate.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        loginName: string;
                        /** @description Required for mailbox roles (0: a mailbox admin’s own mailbox) */
                        mailboxId?: number;
                        /** @description 0 (default): the API key's own network */
                        networkId?: number;
                        password: string;
                        /** @enum {string} */
                        role: "Root" | "NetworkAdmin" | "NetworkUser" | "MailboxAdmin" | "MailboxUser";
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                loginName: string;
                                /** @description 0 for Root and network roles */
                                mailboxId: number;
                                networkId: number;
                                /** @enum {string} */
                                role: "Root" | "NetworkAdmin" | "NetworkUser" | "MailboxAdmin" | "MailboxUser";
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                                userId: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/users/key-generate/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New API key for a user
         * @description For yourself, or for a user below you in scope. The key is shown only in this answer and replaces the key the user had. No body is needed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The user */
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description Shown this once; it replaces the key the user had */
                                apiKey: string;
                                keyPrefix: string;
                                userId: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/users/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Users in scope (admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only this mailbox */
                        mailboxId?: number;
                        /** @description Only this network (0: your own) */
                        networkId?: number;
                        /** @default 1 */
                        pageNo?: number;
                        /** @default 25 */
                        recordsPerPage?: number;
                    };
                };
            };
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                pageNo: number;
                                recordsPerPage: number;
                                /** @description Records that match, counted up to the end of this page and 1,000 more (after a cursor: from the cursor on); when totalRecordsExact is false there are at least this many */
                                totalRecords: number;
                                /** @description False when counting stopped at its bound: totalRecords is a lower bound */
                                totalRecordsExact: boolean;
                                users: {
                                    /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                    createdAt: string;
                                    loginName: string;
                                    /** @description 0 for Root and network roles */
                                    mailboxId: number;
                                    networkId: number;
                                    /** @enum {string} */
                                    role: "Root" | "NetworkAdmin" | "NetworkUser" | "MailboxAdmin" | "MailboxUser";
                                    /** @enum {string} */
                                    status: "Active" | "Suspended" | "Terminated";
                                    userId: number;
                                }[];
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request was refused; see errorCode and message */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description gridhook could not answer */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorEnvelope"];
                    };
                };
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @description UTC, e.g. 2026-05-07T14:32:00Z */
                                createdAt: string;
                                loginName: string;
                                /** @description 0 for Root and network roles */
                                mailboxId: number;
                                networkId: number;
                                /** @enum {string} */
                                role: "Root" | "NetworkAdmin" | "NetworkUser" | "MailboxAdmin" | "MailboxUser";
                                /** @enum {string} */
                                status: "Active" | "Suspended" | "Terminated";
                                userId: number;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error answer */
        ErrorEnvelope: {
            data: null;
            /** @enum {string} */
            errorCode: "InvalidParameter" | "InvalidAPIKey" | "AccessDenied" | "ObjectNotFound" | "DuplicateObject" | "InvalidState" | "IdempotencyConflict" | "PayloadTooLarge" | "UnsupportedMediaType" | "RateLimitExceeded" | "ServiceUnavailable" | "InternalError";
            /** @description What is wrong and how to fix it; names the field at fault */
            message: string;
            /** @enum {boolean} */
            success: false;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
