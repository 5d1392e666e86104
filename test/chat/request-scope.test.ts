/**
 * The request scope is the request's abort signal (no AbortController): listeners, the
 * reason, the time limit, the client going away, and a real AbortSignal where a library needs one.
 */
import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import v8 from 'node:v8';
import { openRequestScope, trackScopes, type Abortable } from '../../proxy/chat/request-scope.js';
import { AbortSource, nativeSignal } from '../../proxy/abort-signal.js';
import { OpenAIHttpError } from '../../proxy/errors.js';

v8.setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

function fakeResponse(): ServerResponse & { finish(): void } {
  const res = new EventEmitter() as unknown as ServerResponse & { finish(): void; writableFinished: boolean };
  res.writableFinished = false;
  res.finish = () => {
    res.writableFinished = true;
    res.emit('close');
  };
  return res;
}

describe('request scope', () => {
  it('runs each abort listener once, in order, and not those removed; later aborts change nothing', () => {
    const scope = openRequestScope(fakeResponse(), 60_000);
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const c = () => calls.push('c');
    scope.addEventListener('abort', a, { once: true });
    scope.addEventListener('abort', b);
    scope.addEventListener('abort', c);
    scope.removeEventListener('abort', b);
    scope.abort('first');
    scope.abort('second');
    expect(calls).toEqual(['a', 'c']);
    expect(scope.aborted).toBe(true);
    expect(scope.reason).toBe('first');
    scope.dispose();
  });

  it('without a reason, aborts with an AbortError as AbortController does; reports it as a closed client', () => {
    const scope = openRequestScope(fakeResponse(), 60_000);
    expect(scope.abortReason()).toBeUndefined();
    scope.abort();
    expect(scope.reason).toBeInstanceOf(DOMException);
    expect((scope.reason as DOMException).name).toBe('AbortError');
    expect(scope.abortReason()?.status).toBe(499);
    scope.dispose();
  });

  it('a listener that throws does not stop the others (the error is reported as uncaught, as EventTarget does)', async () => {
    const scope = openRequestScope(fakeResponse(), 60_000);
    const reported = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    const after = vi.fn();
    scope.addEventListener('abort', () => {
      throw new Error('listener bug');
    });
    scope.addEventListener('abort', after);
    scope.abort();
    expect(after).toHaveBeenCalledOnce();
    expect(((await reported) as Error).message).toBe('listener bug');
    scope.dispose();
  });

  it('aborts with a 504 at the time limit, and not after dispose', () => {
    vi.useFakeTimers();
    try {
      const timed = openRequestScope(fakeResponse(), 1000);
      const disposed = openRequestScope(fakeResponse(), 1000);
      disposed.dispose();
      vi.advanceTimersByTime(1000);
      expect(timed.abortReason()).toBeInstanceOf(OpenAIHttpError);
      expect(timed.abortReason()?.status).toBe(504);
      expect(disposed.aborted).toBe(false);
      timed.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('aborts when the response closes unfinished (client gone), not when it finishes', () => {
    const gone = fakeResponse();
    const goneScope = openRequestScope(gone, 60_000);
    gone.emit('close');
    expect(goneScope.abortReason()?.status).toBe(499);
    goneScope.dispose();
    const done = fakeResponse();
    const doneScope = openRequestScope(done, 60_000);
    done.finish();
    expect(doneScope.aborted).toBe(false);
    doneScope.dispose();
  });

  it('lets go of the response once disposed (what still refers to a scope must not keep the request alive)', async () => {
    const collectGarbage = new Function('%CollectGarbage(null)') as () => void;
    let res: ServerResponse | undefined = fakeResponse();
    const scope = openRequestScope(res, 60_000);
    const ref = new WeakRef(res);
    res = undefined;
    scope.dispose();
    // A WeakRef's target is kept for the rest of the job that made it.
    await new Promise((r) => setTimeout(r, 0));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect(scope.aborted).toBe(false);
  });

  it('is not aborted by a close after dispose (its listener stays on the response and finds no scope)', () => {
    const res = fakeResponse();
    const scope = openRequestScope(res, 60_000);
    const listener = vi.fn();
    scope.addEventListener('abort', listener);
    scope.dispose();
    res.emit('close');
    expect(scope.aborted).toBe(false);
    expect(listener).not.toHaveBeenCalled();
    // A second scope on the same response is the one a close aborts.
    const next = openRequestScope(res, 60_000);
    res.emit('close');
    expect(next.abortReason()?.status).toBe(499);
    next.dispose();
  });

  it('is tracked for shutdown while open', () => {
    const res = fakeResponse();
    const scopes = new Set<Abortable>();
    trackScopes(res, scopes);
    const scope = openRequestScope(res, 60_000);
    expect([...scopes]).toEqual([scope]);
    scope.dispose();
    expect(scopes.size).toBe(0);
  });

  it('scopes share one hidden class whatever happened to them (an AbortSignal on Node 20 gets one of its own)', () => {
    const fresh = openRequestScope(fakeResponse(), 60_000);
    const listened = openRequestScope(fakeResponse(), 60_000);
    listened.addEventListener('abort', () => undefined);
    listened.addEventListener('abort', () => undefined);
    const aborted = openRequestScope(fakeResponse(), 60_000);
    aborted.abort('stop');
    for (const s of [listened, aborted]) expect(haveSameMap(fresh, s)).toBe(true);
    for (const s of [fresh, listened, aborted]) s.dispose();
  });

  it('nativeSignal gives a real AbortSignal that follows the scope (the same one for a real signal)', () => {
    const scope = openRequestScope(fakeResponse(), 60_000);
    const signal = nativeSignal(scope);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    scope.abort('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('stop');
    const aborted = openRequestScope(fakeResponse(), 60_000);
    aborted.abort('early');
    expect(nativeSignal(aborted).reason).toBe('early');
    const real = new AbortController().signal;
    expect(nativeSignal(real)).toBe(real);
    scope.dispose();
    aborted.dispose();
  });
});

describe('AbortSource (the request scope\'s base; the embeddings fan-out cancels its batch with one)', () => {
  it('aborts once, with an AbortError when no reason is given, and its instances share one hidden class', () => {
    const a = new AbortSource();
    const b = new AbortSource();
    const calls: unknown[] = [];
    a.addEventListener('abort', () => calls.push(a.reason));
    a.abort();
    a.abort('again');
    expect(calls).toHaveLength(1);
    expect(a.reason).toBeInstanceOf(DOMException);
    expect((a.reason as DOMException).name).toBe('AbortError');
    b.abort('stop');
    expect(b.reason).toBe('stop');
    expect(haveSameMap(a, b)).toBe(true);
    expect(haveSameMap(a, new AbortSource())).toBe(true);
  });
});
