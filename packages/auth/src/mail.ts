/**
 * Outgoing mail behind an interface: products plug in their provider; development and tests
 * use the dev mailer, which keeps messages in memory and logs their links.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the message is about (an invitation), so a dev UI can show it. */
  link?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface DevMailer extends Mailer {
  readonly outbox: readonly MailMessage[];
  /** The newest message to this address. */
  lastTo(email: string): MailMessage | undefined;
}

export function createDevMailer(options: { log?: (line: string) => void; keep?: number } = {}): DevMailer {
  const outbox: MailMessage[] = [];
  const keep = options.keep ?? 200;
  const log = options.log ?? ((line: string) => console.info(line));
  return {
    outbox,
    async send(message) {
      outbox.push(message);
      if (outbox.length > keep) outbox.splice(0, outbox.length - keep);
      log(`[mail] to ${message.to}: ${message.subject}${message.link ? ` -> ${message.link}` : ''}`);
    },
    lastTo(email) {
      const to = email.toLowerCase();
      return outbox.findLast((m) => m.to.toLowerCase() === to);
    },
  };
}
