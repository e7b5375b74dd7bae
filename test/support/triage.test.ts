import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import {
  DEFAULT_TRIAGE_RULES_PATH,
  loadTriageRules,
  loadTriager,
  parseTriageRules,
  RuleTriager,
} from '../../src/support/triage.js';

const triager = loadTriager();
const triage = (text: string, markedUrgent = false) => triager.triage(text, { markedUrgent });

describe('the default triage rules (triage-rules.yml)', () => {
  it('makes outages, failed payments, data loss and security questions urgent', () => {
    expect(triage('The dashboard is DOWN for everyone')).toMatchObject({
      urgency: 'high',
      matched: ['down'],
    });
    expect(triage('Is there an outage right now?').urgency).toBe('high');
    expect(triage('Payment failed for our annual plan')).toMatchObject({
      urgency: 'high',
      category: 'billing',
    });
    expect(triage('We had data loss after the import')).toMatchObject({ urgency: 'high', category: 'data' });
    expect(triage('Possible security breach on my account')).toMatchObject({
      urgency: 'high',
      category: 'security',
    });
  });

  it('matches whole words only, whatever the case', () => {
    expect(triage('How do I download my invoice?')).toMatchObject({ urgency: 'normal', category: 'billing' });
    expect(triage('insecurity about pricing').urgency).toBe('normal');
    expect(triage('URGENT: help').urgency).toBe('high');
  });

  it('needs every phrase of an `all` rule: one person locked out is not an outage', () => {
    expect(triage("I can't log in")).toMatchObject({ urgency: 'normal', category: 'account' });
    expect(triage('Everyone here can’t log in since this morning')).toMatchObject({
      urgency: 'high',
      matched: ["can't log in + everyone"],
      category: 'account',
    });
    expect(triage('nobody can log in').urgency).toBe('high');
  });

  it('lets low phrases lower the urgency only when nothing urgent matched', () => {
    expect(triage('Feature request: dark mode, no rush')).toMatchObject({
      urgency: 'low',
      matched: ['no rush', 'feature request'],
    });
    expect(triage('No rush, but the API is down').urgency).toBe('high');
  });

  it('picks the category with the most keywords, else general', () => {
    expect(triage('How do I reset my password and turn on 2FA?').category).toBe('account');
    expect(triage('The API returns a 500 error').category).toBe('technical');
    expect(triage('Where is the office?').category).toBe('general');
  });

  it('makes `/support --urgent` high whatever the rules say, and says why', () => {
    expect(triage('Where is the office?', true)).toEqual({
      urgency: 'high',
      category: 'general',
      matched: ['--urgent'],
    });
  });
});

describe('a team’s own rules', () => {
  const rules = (text: string) => parseTriageRules(text, 'rules.yml');

  it('are read from the file TRIAGE_RULES names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-triage-'));
    const path = join(dir, 'rules.yml');
    writeFileSync(
      path,
      [
        'urgency:',
        '  high: [sev1]',
        'categories:',
        '  widgets: [widget, gizmo]',
        'default_category: other',
      ].join('\n'),
    );
    const custom = new RuleTriager(loadTriageRules(path));
    expect(custom.triage('SEV1: widget on fire', {})).toEqual({
      urgency: 'high',
      category: 'widgets',
      matched: ['sev1'],
    });
    expect(custom.triage('the site is down', {})).toEqual({
      urgency: 'normal',
      category: 'other',
      matched: [],
    });
  });

  it('stop the start with one line naming the file and the line at fault', () => {
    const bad = ['urgency:', '  high:', '    - down', '    - 42', 'categories: {}'].join('\n');
    expect(() => rules(bad)).toThrow(ConfigError);
    expect(() => rules(bad)).toThrow(/^rules\.yml:4: .*\(urgency\.high\.1\)$/);
  });

  it('reject unknown keys, bad category names and broken YAML with their line', () => {
    expect(() => rules('urgency: {}\ncategories: {}\nurgent_words: [x]\n')).toThrow(
      /^rules\.yml:\d: .*urgent_words/,
    );
    expect(() => rules('urgency: {}\ncategories:\n  Billing Team: [invoice]\n')).toThrow(
      /^rules\.yml:3: category names/,
    );
    expect(() => rules('urgency:\n  high: [down\ncategories: {}\n')).toThrow(/^rules\.yml:\d+: invalid YAML/);
  });

  it('name the file when it cannot be read', () => {
    expect(() => loadTriageRules('/nonexistent/rules.yml')).toThrow(
      '/nonexistent/rules.yml: cannot read the triage rules file (ENOENT)',
    );
    expect(DEFAULT_TRIAGE_RULES_PATH.endsWith('triage-rules.yml')).toBe(true);
  });
});
