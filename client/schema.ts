/**
 * The types of ordertrace's HTTP API, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run `npm run generate:client` after changing a route or DTO.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up */
        get: operations["HealthController_liveness"];
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
        /** Readiness: 503 only while the database is unreachable; 200 "degraded" with reasons while anchoring is not keeping up */
        get: operations["HealthController_readiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition); needs METRICS_TOKEN or the admin token */
        get: operations["HealthController_metricsText"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the brands */
        get: operations["BrandsController_list"];
        put?: never;
        /** Create a brand */
        post: operations["BrandsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a brand's API keys, revoked and expired ones included */
        get: operations["BrandsController_listKeys"];
        put?: never;
        /** Create an API key for a brand (by the operator or the brand's admin key); the key is shown only here */
        post: operations["BrandsController_createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{id}/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a key with a new one of the same roles; the old key keeps working for the overlap */
        post: operations["BrandsController_rotateKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{id}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key */
        delete: operations["BrandsController_revokeKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the arbitrator and auditor keys, revoked and expired ones included */
        get: operations["OperatorKeysController_list"];
        put?: never;
        /** Create an arbitrator or auditor key; the key is shown only here */
        post: operations["OperatorKeysController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a key with a new one of the same roles; the old key keeps working for the overlap */
        post: operations["OperatorKeysController_rotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an arbitrator or auditor key */
        delete: operations["OperatorKeysController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand's grants (admin key), or the live grants an arbitrator or auditor key holds */
        get: operations["GrantsController_list"];
        put?: never;
        /** Open one of the brand’s orders, or all of them, to an arbitrator or auditor key */
        post: operations["GrantsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/grants/{grantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a grant: the key stops seeing what it opened at once */
        delete: operations["GrantsController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List orders, newest first, with cursor pagination (arbitrator and auditor keys: the orders their grants open) */
        get: operations["OrdersController_list"];
        put?: never;
        /** Create an order and its created event */
        post: operations["OrdersController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an order (arbitrator and auditor keys: through a grant of its brand) */
        get: operations["OrdersController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an order's events in seq order: records and hashes, sealed fields as commitments only */
        get: operations["EventsController_list"];
        put?: never;
        /**
         * Append a lifecycle event; it is hashed and chained to the previous one
         * @description Answers a consumer's change request with address_changed, hold_confirmed or change_declined and data.request = the request's seq; change_requested itself is recorded from the consumer's page only.
         */
        post: operations["EventsController_append"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create orders and append events in one request, each item on its own (up to 1,000 items) */
        post: operations["BulkController_apply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Erase the order's private fields (values and salts) for good; commitments stay, so every proof still verifies */
        post: operations["OrderErasureController_erase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/data-key/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-wrap every key still under an earlier data key (ORDERTRACE_DATA_KEY_PREVIOUS) with the current one */
        post: operations["DataKeyController_rotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sealed batches and their anchoring state, newest first */
        get: operations["BatchesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/batches/{seq}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a batch: status, root, leaf count, transaction, block and confirmations */
        get: operations["BatchesController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The order's proof bundle (ordertrace-bundle/1), verifiable by anyone against the chain */
        get: operations["BundlesController_bundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/evidence.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Evidence report (PDF) of the bundle, with its verification against the chain at export time */
        get: operations["BundlesController_evidence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/qr": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new public verifier link for the order; earlier links stop working */
        post: operations["OrderQrController_issue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/qr.png": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** QR code (PNG) of the order’s current public link, issued on first use */
        get: operations["OrderQrController_png"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/qr.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** QR code (SVG) of the order’s current public link, issued on first use */
        get: operations["OrderQrController_svg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/chain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The chain, contract and JSON-RPC endpoint the verifier page checks bundles against */
        get: operations["PublicController_chain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The order’s public proof bundle, for the consumer’s link */
        get: operations["PublicController_order"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/orders/{id}/receipt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The consumer confirms receipt: appends the order’s received event */
        post: operations["PublicController_confirmReceipt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/orders/{id}/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The consumer asks, before shipping, to change the delivery address (sealed) or to hold the parcel
         * @description Appends a change_requested event (source consumer). The brand answers with address_changed, hold_confirmed or change_declined naming its seq in data.request; a pending hold blocks shipped.
         */
        post: operations["PublicController_requestChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/trust.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator’s ordertrace-trust/1 file: chain id, OrderAnchor contract and JSON-RPC endpoints to verify against */
        get: operations["TrustController_trustFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sealed batches in seq order: root, leaf count and anchor (for auditors; no key needed) */
        get: operations["PublicBatchesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/batches/{seq}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A sealed batch’s leaf hashes in tree order, its root and its anchor; page large batches with offset and limit */
        get: operations["PublicBatchesController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/epcis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The order's history as an EPCIS 2.0 document: one ObjectEvent per lifecycle event, its CBV 2.0 Event Hash ID as eventID */
        get: operations["EpcisController_exportOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/epcis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import an EPCISDocument: ObjectEvents naming the brand's orders (urn:ordertrace:order:<id> business transactions) become lifecycle events, all or none; events imported before are skipped */
        post: operations["EpcisController_importDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Risk flags from the order's stored history (backdated or out-of-order events, implausible delivery speed, repeated address changes, a tracking number on other orders, and what the background evaluator raised), each with its evidence and an explanation in English and Chinese */
        get: operations["FlagsController_orderFlags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The flags raised by the background evaluator, oldest first: the brand’s own, or for an arbitrator or auditor key those of the orders its grants open */
        get: operations["FlagsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands/{id}/flag-thresholds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The thresholds the brand's flags are raised with (its own, else the defaults) */
        get: operations["FlagsController_getThresholds"];
        /** Sets the brand's flag thresholds; a field left out takes its default */
        put: operations["FlagsController_setThresholds"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand console's figures over the orders created in a range of days: orders per day, the lifecycle funnel, paid-to-delivered median and p95, on-time share against data.promisedDelivery, anchoring lag and balance */
        get: operations["StatsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail of privileged actions, hash-chained, in seq order (`ordertrace audit --api --key` checks it) */
        get: operations["AuditTrailController_page"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The brand's webhook endpoints */
        get: operations["WebhooksController_list"];
        put?: never;
        /** Register an endpoint for signed webhook messages; its secret is shown once */
        post: operations["WebhooksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an endpoint with its pending messages and delivery log */
        delete: operations["WebhooksController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new signing secret (shown once); the previous one signs too for the overlap */
        post: operations["WebhooksController_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The endpoint's latest messages with every delivery attempt (status, duration, error class) */
        get: operations["WebhooksController_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a message again now (same webhook-id); enables a disabled endpoint */
        post: operations["WebhooksController_retry"];
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
        CreateBrandDto: {
            /**
             * @description Lowercase letters, digits and dashes; written into every event record, never changes.
             * @example acme
             */
            slug: string;
            /**
             * @description Shown to consumers: no control or bidirectional formatting characters
             * @example ACME Ltd
             */
            name: string;
        };
        BrandDto: {
            /** Format: uuid */
            id: string;
            slug: string;
            name: string;
            /** Format: date-time */
            createdAt: string;
        };
        BrandListDto: {
            items: components["schemas"]["BrandDto"][];
        };
        CreateApiKeyDto: {
            /**
             * @description A label for listings, e.g. who holds the key.
             * @example warehouse importer
             */
            name?: string;
            /**
             * Format: date-time
             * @description RFC 3339 time, in the future, from which the key is refused.
             */
            expiresAt?: string;
            /**
             * @description Defaults to ["brand:write","brand:read"]. A brand's keys hold brand:admin, brand:write or brand:read.
             * @example [
             *       "brand:write",
             *       "brand:read"
             *     ]
             */
            roles?: ("brand:admin" | "brand:write" | "brand:read" | "arbitrator" | "auditor")[];
        };
        ApiKeyCreatedDto: {
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description Null for the operator-issued arbitrator and auditor keys.
             */
            brandId: Record<string, never> | null;
            /** @description First characters of the key, to tell keys apart. */
            keyPrefix: string;
            roles: string[];
            name: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Within about a minute of its last use.
             */
            lastUsedAt: Record<string, never> | null;
            /** Format: date-time */
            expiresAt: Record<string, never> | null;
            /** Format: date-time */
            revokedAt: Record<string, never> | null;
            /** @description The key itself. Shown only in this response; only its hash is stored. */
            key: string;
        };
        ApiKeyDto: {
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description Null for the operator-issued arbitrator and auditor keys.
             */
            brandId: Record<string, never> | null;
            /** @description First characters of the key, to tell keys apart. */
            keyPrefix: string;
            roles: string[];
            name: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Within about a minute of its last use.
             */
            lastUsedAt: Record<string, never> | null;
            /** Format: date-time */
            expiresAt: Record<string, never> | null;
            /** Format: date-time */
            revokedAt: Record<string, never> | null;
        };
        ApiKeyListDto: {
            items: components["schemas"]["ApiKeyDto"][];
        };
        RotateApiKeyDto: {
            /**
             * @description How long the old key keeps working beside the new one (it never works longer than its own expiry).
             * @default 86400
             */
            overlapSeconds: number;
            /**
             * Format: date-time
             * @description The new key's expiry; none by default.
             */
            expiresAt?: string;
        };
        CreateOperatorKeyDto: {
            /**
             * @description A label for listings, e.g. who holds the key.
             * @example warehouse importer
             */
            name?: string;
            /**
             * Format: date-time
             * @description RFC 3339 time, in the future, from which the key is refused.
             */
            expiresAt?: string;
            /**
             * @description arbitrator and/or auditor.
             * @example [
             *       "arbitrator"
             *     ]
             */
            roles: ("brand:admin" | "brand:write" | "brand:read" | "arbitrator" | "auditor")[];
        };
        CreateGrantDto: {
            /**
             * Format: uuid
             * @description Id of an arbitrator or auditor key (the operator issues them, GET /v1/keys lists them).
             */
            key: string;
            /** @description One of the brand's orders; send this or `brand`. */
            order?: string;
            /**
             * Format: uuid
             * @description The brand's own id, for all of its orders; send this or `order`.
             */
            brand?: string;
        };
        GrantDto: {
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The arbitrator or auditor key
             */
            key: string;
            /**
             * Format: uuid
             * @description The granting brand
             */
            brand: string;
            /** @description The order, or null for all orders of the brand */
            order: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            revokedAt: Record<string, never> | null;
        };
        GrantListDto: {
            items: components["schemas"]["GrantDto"][];
        };
        LineItemDto: {
            /** @example TSHIRT-RED-M */
            sku: string;
            /** @example 2 */
            quantity: number;
            /**
             * @description Decimal string, never a float
             * @example 19.90
             */
            unitPrice: string;
            /**
             * @description ISO 4217 code
             * @example EUR
             */
            currency: string;
            /** @example T-shirt, red, M */
            name?: string;
        };
        CustomerDto: {
            /** @example Jane Doe */
            name?: string;
            /** @example jane@example.com */
            email?: string;
            /** @example +49 30 1234567 */
            phone?: string;
        };
        ShippingAddressDto: {
            /** @example Jane Doe */
            name?: string;
            company?: string;
            /** @example Main Street 1 */
            line1: string;
            line2?: string;
            /** @example 10115 */
            postalCode?: string;
            /** @example Berlin */
            city: string;
            region?: string;
            /**
             * @description ISO 3166-1 alpha-2
             * @example DE
             */
            country: string;
        };
        CreateOrderDto: {
            /**
             * @description The brand's own order number; unique per brand
             * @example SO-10042
             */
            reference: string;
            /**
             * Format: date-time
             * @description When the order was placed; defaults to now
             */
            at?: string;
            /** @description Public fields of the created event (shown to consumers) Names beginning with "ordertrace:" are reserved (422 RESERVED_FIELD_NAME). */
            data?: {
                [key: string]: unknown;
            };
            /** @description Further private fields, sealed like customer and shippingAddress Names beginning with "ordertrace:" are reserved (422 RESERVED_FIELD_NAME). */
            sealed?: {
                [key: string]: unknown;
            };
            /** @description Sealed as the private field `lineItems` (prices are commercial data) */
            lineItems?: components["schemas"]["LineItemDto"][];
            /** @description Sealed as the private field `customer` */
            customer?: components["schemas"]["CustomerDto"];
            /** @description Sealed as the private field `shippingAddress` */
            shippingAddress?: components["schemas"]["ShippingAddressDto"];
        };
        OrderDto: {
            /** @example ord_01JD3ZK7Q9T4W8X2B5N6M0P1RS */
            id: string;
            reference: string;
            /** @enum {string} */
            status: "created" | "paid" | "allocated" | "packed" | "shipped" | "in_transit" | "out_for_delivery" | "delivered" | "received" | "return_requested" | "returned" | "cancelled" | "refunded";
            /** @description Event types the order may take next */
            allowedNext: ("created" | "paid" | "allocated" | "packed" | "shipped" | "in_transit" | "out_for_delivery" | "delivered" | "received" | "address_changed" | "cancelled" | "return_requested" | "returned" | "refunded" | "change_requested" | "hold_confirmed" | "change_declined")[];
            /** @description seq of the last event */
            lastSeq: number;
            /** @description Leaf hash of the last event */
            lastLeaf: Record<string, never> | null;
            /** @description Public data of the created event */
            data: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: date-time
             * @description When the private fields were erased (POST /v1/orders/{id}/erase); null while kept
             */
            erasedAt: string | null;
        };
        OrderPageDto: {
            items: components["schemas"]["OrderDto"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            nextCursor: string | null;
        };
        AppendEventDto: {
            /**
             * @example paid
             * @enum {string}
             */
            type: "created" | "paid" | "allocated" | "packed" | "shipped" | "in_transit" | "out_for_delivery" | "delivered" | "received" | "address_changed" | "cancelled" | "return_requested" | "returned" | "refunded" | "change_requested" | "hold_confirmed" | "change_declined";
            /**
             * Format: date-time
             * @description When it happened (RFC 3339 with offset); defaults to the time ordertrace records it.
             */
            at?: string;
            /**
             * @description Public fields: hashed in clear and shown to consumers. Names beginning with "ordertrace:" are reserved (422 RESERVED_FIELD_NAME).
             * @example {
             *       "carrier": "DHL",
             *       "trackingNo": "JD014600004512"
             *     }
             */
            data?: {
                [key: string]: unknown;
            };
            /**
             * @description Private fields: only salted commitments enter the record; values are stored encrypted. Names beginning with "ordertrace:" are reserved (422 RESERVED_FIELD_NAME).
             * @example {
             *       "recipientName": "Jane Doe"
             *     }
             */
            sealed?: {
                [key: string]: unknown;
            };
        };
        AnchorProofDto: {
            /** @description Batch seq in the contract */
            batch: number;
            /** @description Merkle root of the batch */
            root: string;
            /** @description Sibling hashes from the leaf up (sorted-pair keccak-256) */
            proof: string[];
            txHash: string;
            blockNumber: number;
            blockHash: string;
        };
        EventDto: {
            orderId: string;
            seq: number;
            /** @enum {string} */
            type: "created" | "paid" | "allocated" | "packed" | "shipped" | "in_transit" | "out_for_delivery" | "delivered" | "received" | "address_changed" | "cancelled" | "return_requested" | "returned" | "refunded" | "change_requested" | "hold_confirmed" | "change_declined";
            /** Format: date-time */
            at: string;
            /** Format: date-time */
            recorded: string;
            /** @description keccak-256 leaf hash of the canonical record */
            leaf: Record<string, never>;
            /** @description The hashed event record (proof spec v1) */
            record: {
                [key: string]: unknown;
            };
            /** @description Names of the sealed (private) fields */
            sealedFields: string[];
            /** @enum {string} */
            status: "pending" | "sealed" | "anchored";
            anchor: components["schemas"]["AnchorProofDto"] | null;
        };
        EventListDto: {
            items: components["schemas"]["EventDto"][];
        };
        BulkRequestDto: {
            /**
             * @description Up to 1,000 items, applied in the order given: `{"order": {…POST /v1/orders body…}}` creates an order; `{"event": {"order": "<order id>" | "reference": "<order reference>", …POST /v1/orders/{id}/events body…}}` appends an event (an event may follow its order created earlier in the same request).
             * @example [
             *       {
             *         "order": {
             *           "reference": "SO-1"
             *         }
             *       },
             *       {
             *         "event": {
             *           "reference": "SO-1",
             *           "type": "paid"
             *         }
             *       }
             *     ]
             */
            items: {
                [key: string]: unknown;
            }[];
        };
        BulkItemResultDto: {
            /** @description What the single call would have answered: 201, or the 4xx of its problem */
            status: number;
            order?: components["schemas"]["OrderDto"];
            event?: components["schemas"]["EventDto"];
            /** @description RFC 9457 problem of a failed item */
            problem?: {
                [key: string]: unknown;
            };
        };
        BulkResponseDto: {
            items: components["schemas"]["BulkItemResultDto"][];
        };
        OrderErasureDto: {
            /** @example ord_01JD2Y8ZQ6R3W7X9V4K5M1N0PA */
            order: string;
            /**
             * Format: date-time
             * @description When the private fields were erased (the first erasure, on a repeat)
             */
            erasedAt: string;
            /** @description Names of the sealed fields erased; their commitments stay in the records */
            erasedFields: string[];
        };
        UnknownDataKeyDto: {
            dataKeyId: string;
            /** @description Order keys wrapped under it */
            orders: number;
        };
        DataKeyRotationDto: {
            /** @description Id of the current data key, which now wraps every key it could re-wrap */
            dataKeyId: string;
            orderKeysRewrapped: number;
            serviceKeysRewrapped: number;
            /** @description Events stored before per-order keys whose private fields were moved under their order key */
            eventsMovedUnderOrderKeys: number;
            /** @description Events stored before per-order keys that no configured data key opens: left as they are */
            eventsUnderUnknownDataKeys: number;
            /** @description Data keys not configured (neither current nor earlier) that still wrap order keys: those stay unreadable until their key is added */
            unknownDataKeys: components["schemas"]["UnknownDataKeyDto"][];
        };
        BatchDto: {
            /** @description Batch sequence number on the anchor contract (1, 2, 3, …) */
            seq: number;
            /** @enum {string} */
            status: "sealed" | "submitted" | "confirmed";
            /** @description Merkle root over the batch leaves */
            root: string;
            leafCount: number;
            /** Format: date-time */
            sealedAt: string;
            /** @description Anchoring transaction (the latest sent while submitted) */
            txHash: string | null;
            blockNumber: number | null;
            blockHash: string | null;
            /** @description Blocks on top of the anchoring block, itself included; null when unknown */
            confirmations: number | null;
            chainId: number | null;
            contract: string | null;
            /** Format: date-time */
            submittedAt: string | null;
            /** Format: date-time */
            confirmedAt: string | null;
            /** @description Transactions signed for this batch so far */
            attempts: number;
            lastError: string | null;
        };
        BatchPageDto: {
            items: components["schemas"]["BatchDto"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last page */
            nextCursor: string | null;
        };
        BundleChainDto: {
            /** @example 31337 */
            chainId: number;
            /**
             * @description The OrderAnchor contract
             * @example 0x5fbdb2315678afecb367f032d93f642f64180aa3
             */
            contract: string;
        };
        BundleEventDto: {
            /** @description The hashed event record (proof spec v1) */
            record: {
                [key: string]: unknown;
            };
            /** @description keccak256(0x00 || JCS(record)) */
            leaf: string;
            /** @description Disclosed private fields: value and salt opening record.sealed[name] */
            disclosed?: {
                [key: string]: {
                    value?: unknown;
                    salt?: string;
                };
            };
            /** @description Null while the event is not anchored */
            anchor: components["schemas"]["AnchorProofDto"] | null;
        };
        BundleDto: {
            /** @example ordertrace-bundle/1 */
            format: string;
            chain: components["schemas"]["BundleChainDto"];
            /** @example ord_01JD2Y8ZQ6R3W7X9V4K5M1N0PA */
            order: string;
            /**
             * @description Brand slug
             * @example acme
             */
            brand: string;
            events: components["schemas"]["BundleEventDto"][];
        };
        OrderLinkDto: {
            /** @example https://verify.example.com/v/ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A#Zx3kP0_qv-9aB7cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV */
            url: string;
        };
        PublicChainDto: {
            /** @example 31337 */
            chainId: number;
            /** @example 0x5fbdb2315678afecb367f032d93f642f64180aa3 */
            contract: string;
            /**
             * @description JSON-RPC endpoint the verifier page reads the chain through
             * @example https://rpc.example.com
             */
            rpcUrl: string;
        };
        ReceiptAllowanceDto: {
            /** @description Whether the order may take the consumer’s received event now */
            allowed: boolean;
        };
        ChangeRequestAllowanceDto: {
            /** @description Whether the consumer may still ask for a change: the order is not shipped, cancelled or past them */
            allowed: boolean;
        };
        PublicOrderDto: {
            /** @description The order’s ordertrace-bundle/1, without any private value */
            bundle: Record<string, never>;
            /** @example Acme Apparel */
            brandName: string;
            chain: components["schemas"]["PublicChainDto"];
            receipt: components["schemas"]["ReceiptAllowanceDto"];
            requests: components["schemas"]["ChangeRequestAllowanceDto"];
        };
        ReceiptConfirmationDto: {
            /** @example 9 */
            seq: number;
            /** @example received */
            type: string;
            /** @example 2026-11-24T10:15:02.113Z */
            recorded: string;
            /**
             * @description Leaf hash of the new event; anchored like any other
             * @example 0x…
             */
            leaf: string;
        };
        ChangeRequestDto: {
            /**
             * @description `address`: deliver to the address in `sealed.address`; `hold`: do not ship yet
             * @enum {string}
             */
            type: "address" | "hold";
            /**
             * @description For `address` only: `{"address": …}`, the new delivery address, recorded as a salted commitment only. Names beginning with "ordertrace:" are reserved (422 RESERVED_FIELD_NAME).
             * @example {
             *       "address": {
             *         "line1": "Invalidenstraße 116",
             *         "city": "Berlin",
             *         "postalCode": "10115",
             *         "country": "DE"
             *       }
             *     }
             */
            sealed?: {
                [key: string]: unknown;
            };
        };
        ChangeRequestConfirmationDto: {
            /**
             * @description Seq of the change_requested event: the brand answers by naming it in data.request
             * @example 4
             */
            seq: number;
            /** @example change_requested */
            type: string;
            /** @enum {string} */
            request: "address" | "hold";
            /** @example 2026-11-24T10:15:02.113Z */
            recorded: string;
            /**
             * @description Leaf hash of the new event; anchored like any other
             * @example 0x…
             */
            leaf: string;
        };
        PublicAnchorDto: {
            /** @example 0x… */
            txHash: string;
            /** @example 1234 */
            blockNumber: number;
            /** @example 0x… */
            blockHash: string;
        };
        PublicBatchSummaryDto: {
            /** @example 1 */
            seq: number;
            /** @description Merkle root over the batch’s leaves (docs/proof-spec.md) */
            root: string;
            /** @example 3 */
            leafCount: number;
            /** @description Where the root was anchored; null until confirmed */
            anchor: components["schemas"]["PublicAnchorDto"] | null;
        };
        PublicBatchListDto: {
            items: components["schemas"]["PublicBatchSummaryDto"][];
            /** @description Pass as `after` for the next page; null on the last page */
            nextAfter: number | null;
        };
        PublicBatchDto: {
            /** @example 1 */
            seq: number;
            /** @description Merkle root over the batch’s leaves (docs/proof-spec.md) */
            root: string;
            /** @example 3 */
            leafCount: number;
            /** @description Where the root was anchored; null until confirmed */
            anchor: components["schemas"]["PublicAnchorDto"] | null;
            /** @description Leaf hashes in tree order, from `offset` (all of them without paging) */
            leaves: string[];
        };
        FlagExplanationDto: {
            en: string;
            "zh-CN": string;
        };
        OrderFlagDto: {
            /** @enum {string} */
            rule: "backdated" | "out_of_time_order" | "implausible_speed" | "repeated_address_changes" | "tracking_number_reused" | "receipt_after_link_reissue" | "refund_after_receipt_high_value" | "order_burst_same_contact";
            /** @enum {string} */
            severity: "info" | "warning" | "high";
            /** @description The order id */
            order: string;
            /** @description The events (seqs) that show it */
            seqs: number[];
            explanation: components["schemas"]["FlagExplanationDto"];
        };
        OrderFlagListDto: {
            items: components["schemas"]["OrderFlagDto"][];
        };
        RaisedFlagDto: {
            /** @enum {string} */
            rule: "backdated" | "out_of_time_order" | "implausible_speed" | "repeated_address_changes" | "tracking_number_reused" | "receipt_after_link_reissue" | "refund_after_receipt_high_value" | "order_burst_same_contact";
            /** @enum {string} */
            severity: "info" | "warning" | "high";
            /** @description The order id */
            order: string;
            /** @description The events (seqs) that show it */
            seqs: number[];
            explanation: components["schemas"]["FlagExplanationDto"];
            /** @description The flag id; ids grow in the order flags are raised, and serve as the `after` cursor */
            id: string;
            /** Format: date-time */
            raisedAt: string;
        };
        RaisedFlagPageDto: {
            items: components["schemas"]["RaisedFlagDto"][];
            /** @description Pass as `after` for the next page; null on the last page (to follow new flags, pass the last item `id`) */
            next: string | null;
        };
        FlagThresholdsDto: {
            /** @description An event dated this long (ms) before it was recorded is backdated */
            backdatedAfterMs: number;
            /** @description An event dated up to this long (ms) before the one ahead of it is still in time order */
            timeOrderToleranceMs: number;
            /** @description Delivered or received sooner than this (ms) after shipping is implausibly fast */
            minShippingMs: number;
            /** @description This many address changes on one order or more */
            addressChangesAtLeast: number;
            /** @description A consumer's receipt sooner than this (ms) after the order's link was reissued */
            receiptAfterReissueMs: number;
            /** @description A refund after receipt is flagged on orders worth at least this (decimal string, order currency) */
            highValueAtLeast: string;
            /** @description This many of the brand's orders or more sharing a phone number or delivery address … */
            burstOrdersAtLeast: number;
            /** @description … recorded within this long (ms) */
            burstWindowMs: number;
        };
        SetFlagThresholdsDto: {
            backdatedAfterMs?: number;
            timeOrderToleranceMs?: number;
            minShippingMs?: number;
            addressChangesAtLeast?: number;
            receiptAfterReissueMs?: number;
            /**
             * @description Decimal string, never a float
             * @example 1000.00
             */
            highValueAtLeast?: string;
            burstOrdersAtLeast?: number;
            burstWindowMs?: number;
        };
        DayCountDto: {
            /** @example 2026-11-01 */
            date: string;
            orders: number;
        };
        StageCountDto: {
            /** @enum {string} */
            stage: "created" | "paid" | "packed" | "shipped" | "delivered" | "received" | "cancelled" | "returned" | "refunded";
            /** @description Orders created in the range that reached the stage */
            orders: number;
        };
        PaidToDeliveredDto: {
            /** @description Orders created in the range with both a paid and a delivered (or received) event */
            orders: number;
            /** @description Median seconds from `at` of paid to `at` of the first delivered or received */
            medianSeconds: number | null;
            /** @description 95th percentile (continuous, as PostgreSQL percentile_cont) */
            p95Seconds: number | null;
        };
        OnTimeDto: {
            /** @description Delivered orders whose created event carries data.promisedDelivery (YYYY-MM-DD) */
            promised: number;
            /** @description Of those, delivered on or before the promised day (in `tz`) */
            onTime: number;
            /** @description onTime / promised; null without any */
            share: number | null;
        };
        AnchoringStatsDto: {
            enabled: boolean;
            /** @description Age of the oldest event not yet anchored (any brand); null when all are */
            lagSeconds: number | null;
            /** @description The anchoring account's balance in the chain's coin; null with anchoring off or unread */
            balance: string | null;
            /** @description The balance is below ANCHOR_LOW_BALANCE */
            balanceLow: boolean;
            /** @description Days the balance lasts at the current anchoring rate */
            daysLeft: number | null;
        };
        StatsDto: {
            /** @example 2026-11-01 */
            from: string;
            /** @example 2026-11-30 */
            to: string;
            /** @example UTC */
            tz: string;
            /** @description Orders created on each day of the range, zeros included */
            ordersPerDay: components["schemas"]["DayCountDto"][];
            /** @description Orders created in the range by stage reached: created, paid, packed, shipped, delivered (or received), received, then cancelled, returned, refunded */
            funnel: components["schemas"]["StageCountDto"][];
            paidToDelivered: components["schemas"]["PaidToDeliveredDto"];
            onTime: components["schemas"]["OnTimeDto"];
            anchoring: components["schemas"]["AnchoringStatsDto"];
        };
        AuditEntryDto: {
            /** @description 1, 2, 3, … without gaps */
            seq: number;
            /** Format: date-time */
            at: string;
            /** @description `operator`, `key:<key id>`, `consumer` or `system` */
            actor: string;
            /** @description e.g. key.created, grant.revoked, disclosure.exported */
            action: string;
            /** @description e.g. key:<id>, order:<id> */
            target: string;
            details: {
                [key: string]: unknown;
            };
            /** @description The client's address as the service saw it */
            from: string | null;
            /** @description The previous entry’s hash (32 zero bytes for the first) */
            prev: Record<string, never>;
            /** @description keccak-256(0x03 || JCS(entry without hash)) */
            hash: Record<string, never>;
        };
        AuditLogPageDto: {
            items: components["schemas"]["AuditEntryDto"][];
            /** @description Pass as `after` for the next page; null on the last page */
            nextAfter: number | null;
        };
        CreateWebhookDto: {
            /** @description Where messages are POSTed: https (http only where the operator allows it), not a private address. */
            url: string;
            /** @description The message types to receive; all of them when absent. */
            types?: ("event.accepted" | "batch.anchored" | "order.received" | "order.change_requested" | "anchoring.stalled" | "order.flagged")[];
        };
        WebhookWithSecretDto: {
            /** Format: uuid */
            id: string;
            url: string;
            /** @description The message types it receives */
            types: ("event.accepted" | "batch.anchored" | "order.received" | "order.change_requested" | "anchoring.stalled" | "order.flagged")[];
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Until then the previous secret signs too
             */
            previousSecretUntil: string | null;
            /**
             * Format: date-time
             * @description Since when every delivery failed
             */
            failingSince: string | null;
            /**
             * Format: date-time
             * @description Set when persistent failure disabled it; a manual retry enables it again
             */
            disabledAt: string | null;
            disabledReason: string | null;
            /** @description The signing secret (`whsec_…`), shown only in this response */
            secret: string;
        };
        WebhookDto: {
            /** Format: uuid */
            id: string;
            url: string;
            /** @description The message types it receives */
            types: ("event.accepted" | "batch.anchored" | "order.received" | "order.change_requested" | "anchoring.stalled" | "order.flagged")[];
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Until then the previous secret signs too
             */
            previousSecretUntil: string | null;
            /**
             * Format: date-time
             * @description Since when every delivery failed
             */
            failingSince: string | null;
            /**
             * Format: date-time
             * @description Set when persistent failure disabled it; a manual retry enables it again
             */
            disabledAt: string | null;
            disabledReason: string | null;
        };
        WebhookListDto: {
            items: components["schemas"]["WebhookDto"][];
        };
        RotateWebhookSecretDto: {
            /** @description How long the previous secret keeps signing too, in seconds (default 86400, at most 30 days, 0 ends it at once). */
            overlapSeconds?: number;
        };
        WebhookAttemptDto: {
            /** Format: date-time */
            attemptedAt: string;
            /** @description The receiver's HTTP status, when it answered */
            statusCode: number | null;
            durationMs: number;
            /** @description null when delivered; else status (not 2xx), timeout, connection_refused, connection_reset, dns, unreachable, tls, address_refused or network */
            error: string | null;
        };
        WebhookDeliveryDto: {
            /** @description The message id, sent as `webhook-id` with every attempt */
            id: string;
            /** @enum {string} */
            type: "event.accepted" | "batch.anchored" | "order.received" | "order.change_requested" | "anchoring.stalled" | "order.flagged";
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            nextAttemptAt: string | null;
            /** Format: date-time */
            deliveredAt: string | null;
            log: components["schemas"]["WebhookAttemptDto"][];
        };
        WebhookDeliveryListDto: {
            items: components["schemas"]["WebhookDeliveryDto"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    HealthController_liveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_readiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_metricsText: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BrandsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandListDto"];
                };
            };
        };
    };
    BrandsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateBrandDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandDto"];
                };
            };
        };
    };
    BrandsController_listKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyListDto"];
                };
            };
        };
    };
    BrandsController_createKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreatedDto"];
                };
            };
        };
    };
    BrandsController_rotateKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreatedDto"];
                };
            };
        };
    };
    BrandsController_revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OperatorKeysController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyListDto"];
                };
            };
        };
    };
    OperatorKeysController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOperatorKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreatedDto"];
                };
            };
        };
    };
    OperatorKeysController_rotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateApiKeyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreatedDto"];
                };
            };
        };
    };
    OperatorKeysController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    GrantsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GrantListDto"];
                };
            };
        };
    };
    GrantsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGrantDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GrantDto"];
                };
            };
        };
    };
    GrantsController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                grantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OrdersController_list: {
        parameters: {
            query?: {
                status?: "created" | "paid" | "allocated" | "packed" | "shipped" | "in_transit" | "out_for_delivery" | "delivered" | "received" | "return_requested" | "returned" | "cancelled" | "refunded";
                /** @description Created at or after (inclusive) */
                createdFrom?: string;
                /** @description Created before (exclusive) */
                createdTo?: string;
                /** @description The brand's order reference, exact match */
                reference?: string;
                /** @description The brand's order reference begins with this (case-sensitive) */
                referencePrefix?: string;
                /** @description nextCursor of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderPageDto"];
                };
            };
        };
    };
    OrdersController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry-safe: the same key and body return the first response */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOrderDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderDto"];
                };
            };
            /** @description The reference is already used by another order of the brand */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OrdersController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderDto"];
                };
            };
        };
    };
    EventsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventListDto"];
                };
            };
        };
    };
    EventsController_append: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry-safe: the same key and body return the first response */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppendEventDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventDto"];
                };
            };
            /** @description ILLEGAL_TRANSITION (the problem lists currentState and allowed), HOLD_PENDING (shipped while a hold is pending) or CHANGE_REQUEST_NOT_PENDING (data.request names no pending request) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BulkController_apply: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry-safe for the whole request: no item is ever applied twice */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkRequestDto"];
            };
        };
        responses: {
            /** @description One result per item, in order: status 201 with the order or event, or a problem */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResponseDto"];
                };
            };
        };
    };
    OrderErasureController_erase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderErasureDto"];
                };
            };
            /** @description No such order for this key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DataKeyController_rotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataKeyRotationDto"];
                };
            };
        };
    };
    BatchesController_list: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 200 (default 50) */
                limit?: string;
                /** @description Cursor: the nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchPageDto"];
                };
            };
        };
    };
    BatchesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                seq: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDto"];
                };
            };
            /** @description No batch with this seq */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BundlesController_bundle: {
        parameters: {
            query?: {
                /** @description Private fields to disclose with their salts: a comma-separated list of field names, or "all". Default: none. */
                disclose?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BundleDto"];
                };
            };
            /** @description No such order for this key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The anchoring chain is not known yet */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BundlesController_evidence: {
        parameters: {
            query?: {
                /** @description Private fields to disclose with their salts: a comma-separated list of field names, or "all". Default: none. */
                disclose?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No such order for this key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OrderQrController_issue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderLinkDto"];
                };
            };
        };
    };
    OrderQrController_png: {
        parameters: {
            query?: {
                /** @description Width and height in pixels */
                size?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OrderQrController_svg: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PublicController_chain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicChainDto"];
                };
            };
        };
    };
    PublicController_order: {
        parameters: {
            query?: never;
            header: {
                /** @description The token from the fragment of the order’s public link */
                "X-Order-Token": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicOrderDto"];
                };
            };
            /** @description Wrong, revoked or missing token, or no such order: the same answer for all */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PublicController_confirmReceipt: {
        parameters: {
            query?: never;
            header: {
                /** @description The token from the fragment of the order’s public link */
                "X-Order-Token": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiptConfirmationDto"];
                };
            };
            /** @description Wrong, revoked or missing token, or no such order */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not shipped yet, or receipt already confirmed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PublicController_requestChange: {
        parameters: {
            query?: never;
            header: {
                /** @description The token from the fragment of the order’s public link */
                "X-Order-Token": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeRequestDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequestConfirmationDto"];
                };
            };
            /** @description A malformed body: the problem names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Wrong, revoked or missing token, or no such order */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CHANGE_REQUESTS_CLOSED once shipped or cancelled; CHANGE_REQUEST_PENDING for a second request of a kind */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrustController_trustFile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An ordertrace-trust/1 document (docs/proof-spec.md §Trust anchors) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PublicBatchesController_list: {
        parameters: {
            query?: {
                /** @description List batches with a seq greater than this (default 0: from the first) */
                after?: string;
                /** @description Batches to return, 1 to 1000 (default 100) */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicBatchListDto"];
                };
            };
        };
    };
    PublicBatchesController_get: {
        parameters: {
            query?: {
                /** @description First leaf to return (0-based position in the tree) */
                offset?: string;
                /** @description Leaves to return, 1 to 10000 (default 10000) */
                limit?: string;
            };
            header?: never;
            path: {
                seq: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicBatchDto"];
                };
            };
            /** @description No sealed batch with this seq */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EpcisController_exportOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An EPCISDocument (JSON-LD) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    EpcisController_importDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description An EPCIS 2.0 EPCISDocument (application/json or application/ld+json) */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description `imported`: the events stored; `skipped`: eventIDs imported before */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Events that map to no lifecycle event or order, all listed in `errors` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    FlagsController_orderFlags: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderFlagListDto"];
                };
            };
        };
    };
    FlagsController_list: {
        parameters: {
            query?: {
                /** @description Flags raised after this one (a flag `id`, or `next` of the previous page) */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RaisedFlagPageDto"];
                };
            };
        };
    };
    FlagsController_getThresholds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagThresholdsDto"];
                };
            };
        };
    };
    FlagsController_setThresholds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetFlagThresholdsDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlagThresholdsDto"];
                };
            };
        };
    };
    StatsController_get: {
        parameters: {
            query?: {
                /** @description First day (YYYY-MM-DD in `tz`, inclusive); default 29 days before `to` */
                from?: string;
                /** @description Last day (YYYY-MM-DD in `tz`, inclusive); default today in `tz` */
                to?: string;
                /** @description IANA time zone the days are counted in (default UTC) */
                tz?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsDto"];
                };
            };
        };
    };
    AuditTrailController_page: {
        parameters: {
            query?: {
                /** @description Entries after this seq (default 0: from the first) */
                after?: string;
                /** @description Page size, 1 to 1000 (default 100) */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLogPageDto"];
                };
            };
        };
    };
    WebhooksController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookListDto"];
                };
            };
        };
    };
    WebhooksController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecretDto"];
                };
            };
        };
    };
    WebhooksController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateWebhookSecretDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecretDto"];
                };
            };
        };
    };
    WebhooksController_deliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryListDto"];
                };
            };
        };
    };
    WebhooksController_retry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDto"];
                };
            };
        };
    };
}
