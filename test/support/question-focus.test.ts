import { describe, expect, it } from 'vitest';
import { clausesOf, questionFocus } from '../../src/support/question-focus.js';

const shape = (question: string) =>
  clausesOf(question).map(({ text, asking }) => `${asking ? '?' : '.'}${text}`);

describe('the clauses of a question', () => {
  it('splits on sentence ends, colons, dashes, commas and "but", not on dots inside words', () => {
    expect(shape('we deleted our workspace by accident yesterday!! can it be restored')).toEqual([
      '.we deleted our workspace by accident yesterday',
      '?can it be restored',
    ]);
    expect(shape('security questionnaire asks: is our data encrypted at rest')).toEqual([
      '.security questionnaire asks',
      '?is our data encrypted at rest',
    ]);
    expect(shape('ok dumb question but how do i generate an api key')).toEqual([
      '.ok dumb question',
      '?how do i generate an api key',
    ]);
    expect(shape('do you have a make.com app for http://10.0.0.5')).toEqual([
      '?do you have a make.com app for http://10.0.0.5',
    ]);
  });

  it('tells a clause that asks by its question mark, its opening or its word order', () => {
    expect(shape('is there a high contrast mode? the grey text is hard to read')).toEqual([
      '?is there a high contrast mode',
      '.the grey text is hard to read',
    ]);
    expect(shape('employee lost their 2fa device, as an admin can i reset it for them')).toEqual([
      '.employee lost their 2fa device',
      '?as an admin can i reset it for them',
    ]);
    expect(shape('changed my email, I still have to log in with the old one?')).toEqual([
      '.changed my email',
      '?I still have to log in with the old one',
    ]);
  });
});

describe('the focus of a question', () => {
  it('is the subject of the clauses that ask, when others only give context', () => {
    const focus = questionFocus('we deleted our workspace by accident yesterday!! can it be restored');
    expect([...(focus?.asking ?? [])]).toEqual(['restor']);
    expect(focus?.pointsBack).toBe(true);
  });

  it('knows a clause that names its own subject from one that points back at the context', () => {
    expect(questionFocus('our zap creates every task twice, how do we stop the duplicates')?.pointsBack).toBe(
      false,
    );
    expect(questionFocus('we keep hitting 429 errors, how should we handle them')?.pointsBack).toBe(true);
  });

  it('is the whole question when every clause asks, none does, or the asking one names nothing', () => {
    expect(questionFocus('how do i reset my password')).toBeUndefined();
    expect(questionFocus('can we store patient data in acme? are you hipaa compliant')).toBeUndefined();
    expect(questionFocus('password reset link says it expired, i clicked it an hour later')).toBeUndefined();
    expect(questionFocus('customer wants to track time on a task, how')).toBeUndefined();
  });
});
