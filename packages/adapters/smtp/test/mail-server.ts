import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** A message as it arrived: the envelope and the parsed MIME message. */
export interface ArrivedMail {
  from: string;
  to: string[];
  parsed: ParsedMail;
}

/** Lets a test refuse a recipient with an SMTP reply code, as a real server would. */
export type RecipientCheck = (address: string) => { code: number; message: string } | undefined;

/** A real SMTP server (smtp-server) on 127.0.0.1 and an ephemeral port that keeps every message it accepts. */
export interface MailServer {
  port: number;
  inbox: ArrivedMail[];
  close(): Promise<void>;
}

export interface MailServerOptions {
  checkRecipient?: RecipientCheck;
  refuseData?: { code: number; message: string };
  /** Require a login and accept only this password. */
  password?: string;
}

export async function startMailServer(options: MailServerOptions = {}): Promise<MailServer> {
  const inbox: ArrivedMail[] = [];
  const server = new SMTPServer({
    authOptional: options.password === undefined,
    // Plain text on the loopback: the test is about what is sent, not about TLS.
    disabledCommands: options.password === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = options.checkRecipient?.(address.address);
      callback(refusal ? Object.assign(new Error(refusal.message), { responseCode: refusal.code }) : undefined);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if (options.refuseData) return callback(Object.assign(new Error(options.refuseData.message), { responseCode: options.refuseData.code }));
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          inbox.push({ from, to: session.envelope.rcptTo.map((recipient) => recipient.address), parsed });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, inbox, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
