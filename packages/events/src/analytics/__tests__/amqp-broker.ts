/**
 * A minimal AMQP 1.0 peer on loopback, built with rhea, that the real Event
 * Hubs SDK can talk to: it accepts the connection, answers CBS put-token
 * requests with 200, answers the management node's partition queries, and
 * records (then accepts) every message sent to the event hub.
 */
import type { AddressInfo, Server } from 'node:net';
import rhea, { type Connection, type EventContext, type Message } from 'rhea';
import { Recorder } from '../../__tests__/support/waiting';

export interface BrokerMessage {
  /** The link target it arrived on: the hub, or hub/Partitions/<id>. */
  address: string;
  body: unknown;
  partitionKey: string | undefined;
  messageId: unknown;
  contentType: string | undefined;
  properties: Record<string, unknown>;
}

export class AmqpBroker {
  readonly messages = new Recorder<BrokerMessage>();
  /** The audiences the SDK asked CBS tokens for. */
  readonly tokenAudiences: string[] = [];
  readonly managementOperations: string[] = [];
  /** Transfers to the hub (a batch is one transfer). */
  transfers = 0;
  private readonly connections = new Set<Connection>();

  private constructor(
    private readonly server: Server,
    readonly hub: string,
  ) {}

  /** `maxMessageSize` is advertised on the hub's link; the SDK sizes its batches by it. */
  static async start(hub = 'hub', maxMessageSize = 256 * 1024): Promise<AmqpBroker> {
    const container = rhea.create_container({ id: 'harbour-test-broker' });
    const server = container.listen({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
    const broker = new AmqpBroker(server, hub);
    container.on('connection_open', (context: EventContext) => broker.connections.add(context.connection));
    container.on('connection_close', (context: EventContext) => broker.connections.delete(context.connection));
    container.on('disconnected', (context: EventContext) => broker.connections.delete(context.connection));
    container.on('message', (context: EventContext) => broker.onMessage(context));
    container.on('receiver_open', (context: EventContext) => {
      // rhea has queued its attach reply but not written it yet: it still goes out with this limit.
      (context.receiver as unknown as { local: { attach: { max_message_size?: number } } }).local.attach.max_message_size = maxMessageSize;
    });
    return broker;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get connectionString(): string {
    return `Endpoint=sb://127.0.0.1:${this.port};SharedAccessKeyName=k;SharedAccessKey=secret;EntityPath=${this.hub};UseDevelopmentEmulator=true`;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onMessage(context: EventContext): void {
    const message = context.message!;
    const address = String(context.receiver?.target?.address ?? '');
    if (address === '$cbs') {
      this.tokenAudiences.push(String(message.application_properties?.name));
      this.reply(context, message, undefined);
      return;
    }
    if (address.endsWith('$management')) {
      const operation = String(message.application_properties?.type);
      this.managementOperations.push(operation);
      const partition = message.application_properties?.partition;
      const body =
        operation === 'com.microsoft:partition'
          ? { name: this.hub, partition: String(partition), begin_sequence_number: 0, last_enqueued_sequence_number: 0, last_enqueued_offset: '0', last_enqueued_time_utc: new Date(), is_partition_empty: true }
          : { name: this.hub, partition_ids: ['0'], partition_count: 1, created_at: new Date() };
      this.reply(context, message, body);
      return;
    }
    this.transfers += 1;
    for (const event of unpack(context)) {
      this.messages.push({
        address,
        body: jsonBody(event),
        partitionKey: event.message_annotations?.['x-opt-partition-key'] as string | undefined,
        messageId: event.message_id,
        contentType: event.content_type,
        properties: event.application_properties ?? {},
      });
    }
  }

  /** Answers a request/response call on the client's reply link (named by the request's reply_to). */
  private reply(context: EventContext, request: Message, body: unknown): void {
    const replyLink = context.connection.find_sender((sender: { name: string }) => sender.name === request.reply_to);
    replyLink?.send({
      correlation_id: request.message_id,
      application_properties: { 'status-code': 200, 'status-description': 'OK' },
      body: body ?? null,
    });
  }
}

/** The fields of a received message this broker reads (rhea has two Message types; both fit). */
interface AmqpMessage {
  body?: unknown;
  message_id?: unknown;
  content_type?: string;
  application_properties?: Record<string, unknown>;
  message_annotations?: Record<string, unknown>;
}

/** The Event Hubs batch format: one transfer whose data sections are each an encoded message. */
const BATCH_FORMAT = 0x80013700;

/**
 * The messages one transfer carries. rhea hands over a transfer of a
 * non-standard format undecoded, so a batch is decoded here: the outer
 * message, then each of its data sections.
 */
function unpack(context: EventContext): AmqpMessage[] {
  const format = (context as EventContext & { format?: number }).format;
  if (format === undefined || format === 0) return [context.message!];
  if (format !== BATCH_FORMAT) throw new Error(`Unexpected message format ${format}`);
  const outer = rhea.message.decode(context.message as unknown as Buffer);
  const body = outer.body as { content: Buffer | Buffer[]; multiple?: boolean };
  const sections = body.multiple ? (body.content as Buffer[]) : [body.content as Buffer];
  return sections.map((section) => rhea.message.decode(section) as AmqpMessage);
}

/** The SDK sends a JSON body as one data section. */
function jsonBody(message: AmqpMessage): unknown {
  const body = message.body as { content?: unknown } | undefined;
  if (body && Buffer.isBuffer(body.content)) return JSON.parse(body.content.toString('utf8'));
  return message.body;
}
