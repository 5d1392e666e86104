/**
 * The members of Bedrock's ConverseStreamOutput union that this SDK version knows: the
 * events a stream carries and the exceptions it can end with. Read by the event-stream
 * reader (which skips members it does not know, as the SDK's deserializer does) and by the
 * stream translator (which raises an exception member handed over as an event).
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';

/** A member name of the SDK's union (its visitor has one method per member, plus `_`). */
type Member = Exclude<keyof ConverseStreamOutput.Visitor<unknown>, '_'>;

export const STREAM_EVENT_MEMBERS = ['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'] as const satisfies readonly Member[];

export const STREAM_EXCEPTION_MEMBERS = [
  'internalServerException',
  'modelStreamErrorException',
  'serviceUnavailableException',
  'throttlingException',
  'validationException',
] as const satisfies readonly Member[];
