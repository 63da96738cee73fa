/**
 * Plain HTTP against a started app, for the authorization matrix: a request with its own Host
 * header (fetch drops it: the tenant may be the subdomain), and a sign-in through the app's own
 * auth endpoint that returns the session cookie.
 */
import http from 'node:http';
import { DEMO_PASSWORD } from '@studio/auth';

export interface HttpAnswer {
  status: number;
  text: string;
  cookies: string[];
}

/** One request to 127.0.0.1:`port` with exactly these headers (`host` included). */
export function request(port: number, method: string, target: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers }, (response) => {
      let text = '';
      response.on('data', (c: Buffer) => (text += c.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text, cookies: response.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let clients = 0;

/**
 * Signs `email` in on `host` with the demo password and returns the `cookie` header to send.
 * Each sign-in comes from its own client address (x-forwarded-for; start the app with one trusted
 * proxy), and Better Auth's own limiter (3 per 10 s in production) is waited out if it answers 429.
 */
export async function signIn(port: number, host: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  clients++;
  const attempt = () =>
    request(
      port,
      'POST',
      '/api/auth/sign-in/email',
      { host, origin: `http://${host}`, 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${clients % 250}` },
      JSON.stringify({ email, password }),
    );
  let response = await attempt();
  for (let tries = 0; response.status === 429 && tries < 6; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    response = await attempt();
  }
  if (response.status !== 200) throw new Error(`sign-in of ${email} on ${host}: ${response.status} ${response.text}`);
  return response.cookies.map((c) => c.split(';')[0]!).join('; ');
}
