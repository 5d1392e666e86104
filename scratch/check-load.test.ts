import { it } from 'vitest';
import { loadRecordings, shortName } from '../test/recorded/load.js';
it('lists', () => {
  for (const r of loadRecordings()) console.log(shortName(r), r.operation, r.modelId, r.response.status, r.body ? r.body.length : '-', r.response.events?.length ?? '', r.response.json ? 'json' : '', JSON.stringify(r.response.headers).slice(0, 120));
});
