import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AlertSink, SecurityAlert } from '../../services/ports.js';

/** What happened to one delivery (for logs and tests). */
export type DeliveryOutcome = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly error: string };

/**
 * Security alerts POSTed as JSON to an operator's webhook (HTTPS; plain HTTP only to a loopback receiver, which
 * configuration enforces). Fire and forget with a 5 s timeout: an unreachable receiver never slows a login.
 * @param url - the webhook URL
 * @param instanceId - which Haven instance is speaking
 * @param onDelivered - called with each delivery's outcome
 */
export function webhookAlertSink(url: string, instanceId: string, onDelivered: (outcome: DeliveryOutcome) => void = () => undefined): AlertSink {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return {
    send(alert: SecurityAlert) {
      const body = JSON.stringify({ source: 'haven', instance: instanceId, event: 'security.alert', ...alert });
      const req = send(target, { method: 'POST', timeout: 5_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        onDelivered({ ok: true, status: res.statusCode ?? 0 });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => onDelivered({ ok: false, error: err.message }));
      req.end(body);
    },
  };
}
