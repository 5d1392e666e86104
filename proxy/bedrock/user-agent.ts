/**
 * The user agent the direct transport sends: the SDK's format (`ua/2.1`, os, language,
 * runtime, API, optional `app/` id from AWS_SDK_UA_APP_ID) under our own name, so AWS-side
 * logs tell the proxy's direct calls from the SDK's.
 */
import { platform, release } from 'node:os';
import { VERSION } from '../version.js';

export function userAgent(env: Record<string, string | undefined> = process.env): { 'user-agent': string; 'x-amz-user-agent': string } {
  const appId = env.AWS_SDK_UA_APP_ID?.trim();
  const app = appId ? ` app/${appId.replace(/[^\w.!#$%&'*+^`|~-]/g, '-')}` : '';
  return {
    'user-agent': `nova-migrate/${VERSION} ua/2.1 os/${platform()}#${release()} lang/js md/nodejs#${process.versions.node} api/bedrock-runtime#${VERSION}${app}`,
    'x-amz-user-agent': `nova-migrate/${VERSION}${app}`,
  };
}
