import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

/** How many clients are kept (service URLs are few: one per channel and region). */
const KEPT_CLIENTS = 64;

/**
 * How long a request to the channel (a message, a card replaced) may take:
 * each attempt, and all of them with the client's retries of 5xx and its
 * pauses. Without them the connector client waits for as long as the channel
 * keeps the connection open: a turn, and the person's next, would hang.
 */
export const CONNECTOR_TIMEOUTS = { requestMs: 5_000, totalMs: 12_000 } as const;

export type ConnectorTimeouts = { readonly requestMs: number; readonly totalMs: number };

/** The client's own retry policy (429 after Retry-After, 5xx with back-off), by its name in @azure/core-rest-pipeline. */
const CLIENT_RETRIES = 'defaultRetryPolicy';

/** The part of @azure/core-rest-pipeline's request that the bound sets. */
interface PipelineRequest {
  timeout: number;
  abortSignal?: AbortSignal;
}
interface Pipeline {
  addPolicy(policy: {
    name: string;
    sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<unknown>): Promise<unknown>;
  }): void;
  removePolicy(options: { name: string }): unknown;
}

/**
 * Bounds every request of a connector client by `timeouts`. botbuilder
 * replaces any request policy given in its options, so the policy goes into
 * the client's own pipeline, ahead of its retry policy: each attempt has the
 * time-out, and all of them together the one deadline.
 */
export function bounded<C>(client: C, timeouts: ConnectorTimeouts = CONNECTOR_TIMEOUTS, retries = true): C {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new Error('the connector client has no request pipeline to bound (botbuilder changed?)');
  // A caller with its own queue (campaigns) sees each 429 and its Retry-After instead of a client waiting on it.
  if (!retries) pipeline.removePolicy({ name: CLIENT_RETRIES });
  pipeline.addPolicy({
    name: 'boundedTime',
    sendRequest: (request, next) => {
      if (!request.timeout) request.timeout = timeouts.requestMs;
      request.abortSignal ??= AbortSignal.timeout(timeouts.totalMs);
      return next(request);
    },
  });
  return client;
}

/**
 * Bot Framework authentication that keeps its HTTP clients. botbuilder builds a
 * new connector client (with its whole request pipeline) and a new user-token
 * client for every turn, which costs more than many turns' own work; these are
 * kept per bot identity, service URL and audience instead. Authentication is
 * unchanged: every request is still validated by the wrapped instance, and the
 * kept clients hold the same credentials (whose tokens refresh themselves).
 */
export class ReusedClientsAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new BoundedMap<Promise<ConnectorClient>>(KEPT_CLIENTS);
  private readonly tokenClients = new BoundedMap<Promise<UserTokenClient>>(KEPT_CLIENTS);

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    /** How long a request to a channel may take (tests shorten it). */
    private readonly timeouts: ConnectorTimeouts = CONNECTOR_TIMEOUTS,
    /** Whether the clients retry by themselves (false: every 429 and 5xx reaches the caller). */
    private readonly retries = true,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return { ...result, connectorFactory: result.connectorFactory && this.reuse(result.claimsIdentity, result.connectorFactory) };
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    return { ...result, connectorFactory: result.connectorFactory && this.reuse(result.claimsIdentity, result.connectorFactory) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reuse(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.getOrAdd(appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private reuse(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    return new KeptConnectors(this.connectors, appIdOf(claimsIdentity), factory, this.timeouts, this.retries);
  }
}

/** A connector factory that hands out the kept client for the bot identity, service URL and audience, its requests bounded in time. */
class KeptConnectors extends ConnectorFactory {
  constructor(
    private readonly kept: BoundedMap<Promise<ConnectorClient>>,
    private readonly appId: string,
    private readonly factory: ConnectorFactory,
    private readonly timeouts: ConnectorTimeouts,
    private readonly retries: boolean,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.kept.getOrAdd(`${this.appId}\u0000${serviceUrl}\u0000${audience ?? ''}`, async () =>
      bounded(await this.factory.create(serviceUrl, audience), this.timeouts, this.retries),
    );
  }
}

/** The bot identity a request's clients act as, read as botbuilder reads it for their credentials: the audience, else the app id. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** A map that forgets its oldest entry past `limit`, and a failed promise at once (so the next turn tries again). */
class BoundedMap<V extends Promise<unknown>> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly limit: number) {}

  getOrAdd(key: string, make: () => V): V {
    const found = this.entries.get(key);
    if (found) return found;
    const made = make();
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, made);
    made.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    return made;
  }
}
