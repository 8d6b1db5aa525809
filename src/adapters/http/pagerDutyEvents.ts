// PagerDuty Events API v2: POST a trigger event to /v2/enqueue (answers 202). The routing key travels
// in the body; the endpoint is overridable (PAGERDUTY_EVENTS_URL) for a local receiver.
import type { AlertChannel } from '../../ports/alerts.js';
import { JsonPostChannel } from './postJson.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export function pagerDutyEvents(url: string = PAGERDUTY_EVENTS_URL): AlertChannel {
  return new JsonPostChannel('pagerduty', url);
}
