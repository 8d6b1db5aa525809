// Slack incoming webhook: POST {channel, text} to the webhook URL (from the environment only).
import type { AlertChannel } from '../../ports/alerts.js';
import { JsonPostChannel } from './postJson.js';

export function slackWebhook(url: string): AlertChannel {
  return new JsonPostChannel('slack', url);
}
