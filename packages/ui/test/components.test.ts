/**
 * The design system's server-safe parts, rendered as a page renders them: what a screen reader
 * and a phone depend on (column names on every cell, a meter's numbers, a chart's table), and
 * the choices the shell makes (the current section, the theme class).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ColumnChart, DailyAreaChart, HorizontalBarChart, StatusBadge, Table, TextField, themeClass, UsageMeter } from '../src/components';
import { currentHref } from '../src/shell/nav-links';

describe('Table', () => {
  it('names each cell by its column, so a phone can show rows as cards', () => {
    const html = renderToStaticMarkup(
      createElement(Table, {
        columns: [
          { key: 'number', header: 'Number' },
          { key: 'amount', header: 'Amount', align: 'end' as const },
        ],
        rows: [{ key: 'a', cells: { number: 'INV-1', amount: '$1.00' } }],
      }),
    );
    expect(html).toContain('<table class="reflow');
    expect(html).toContain('<th scope="col"');
    expect(html).toContain('data-label="Number"');
    expect(html).toContain('data-label="Amount"');
  });

  it('shows the empty state instead of an empty table', () => {
    const html = renderToStaticMarkup(createElement(Table, { columns: [{ key: 'x', header: 'X' }], rows: [], empty: 'Nothing yet' }));
    expect(html).toBe('Nothing yet');
  });
});

describe('fields and badges', () => {
  it('ties an error to its input and keeps what was typed', () => {
    const html = renderToStaticMarkup(createElement(TextField, { name: 'email', label: 'Email', state: { fieldErrors: { email: 'Not an address' }, values: { email: 'x@' } } }));
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="field-email-error"');
    expect(html).toContain('id="field-email-error" role="alert"');
    expect(html).toContain('value="x@"');
  });

  it('writes a status as a word, never only a colour', () => {
    expect(renderToStaticMarkup(createElement(StatusBadge, { status: 'read_only' }))).toContain('>read only<');
  });
});

describe('meters and charts', () => {
  it('says the quota use in words and as a meter', () => {
    const html = renderToStaticMarkup(createElement(UsageMeter, { label: 'Exports', used: 2, limit: 3 }));
    expect(html).toContain('2 of 3');
    expect(html).toContain('role="meter"');
    expect(html).toContain('aria-valuenow="2"');
    expect(html).toContain('aria-valuemax="3"');
  });

  it('draws a chart as SVG with a title and the same numbers in a table', () => {
    const html = renderToStaticMarkup(
      createElement(ColumnChart<'paid'>, { title: 'Paid per month', series: [{ key: 'paid', label: 'Paid' }], data: [{ label: 'Jan', values: { paid: 1200 } }] }),
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('<title id="chart-paid-per-month-title">Paid per month</title>');
    expect(html).toMatch(/<div class="sr-only"><table>.*Jan.*1,200/);
  });

  it('draws a ranking and a daily count the same way: an image with a description, the numbers in a hidden table', () => {
    const bars = renderToStaticMarkup(
      createElement(HorizontalBarChart, { title: 'Largest tenants', description: 'Rows per tenant', valueLabel: 'Rows', items: [{ label: 'Acme', value: 1234, note: 'suspended' }] }),
    );
    expect(bars).toContain('aria-describedby="chart-largest-tenants-desc"');
    expect(bars).toContain('data-bar="Acme"');
    expect(bars).toMatch(/<div class="sr-only"><table>.*<th scope="col">Rows<\/th>.*Acme.*1,234 \(suspended\)/);
    const days = renderToStaticMarkup(
      createElement(DailyAreaChart<'a' | 'b'>, {
        title: 'Activity',
        description: 'Events per day',
        locale: 'de-DE',
        series: [
          { key: 'a', label: 'Platform' },
          { key: 'b', label: 'Tenants' },
        ],
        data: [
          { day: '2026-11-30', values: { a: 1, b: 2 } },
          { day: '2026-12-01', values: { a: 3, b: 4 } },
        ],
      }),
    );
    // A legend names each colour; the axis speaks the locale; each series is its own layer.
    expect(days).toContain('Platform');
    expect(days).toContain('data-series="b"');
    expect(days).toMatch(/1\. Dez\./);
    expect(days).toMatch(/<div class="sr-only"><table>.*2026-12-01.*<td>3<\/td><td>4<\/td>/);
  });
});

describe('shell choices', () => {
  const items = [
    { href: '/', label: 'Dashboard' },
    { href: '/invoices', label: 'Invoices' },
    { href: '/invoices/new', label: 'New invoice' },
  ];

  it('marks the deepest section that holds the page', () => {
    expect(currentHref(items, '/')).toBe('/');
    expect(currentHref(items, '/invoices/123')).toBe('/invoices');
    expect(currentHref(items, '/invoices/new')).toBe('/invoices/new');
    expect(currentHref(items, '/members')).toBeNull();
  });

  it('puts a theme class on <html> only for a choice the reader made', () => {
    expect(themeClass('dark')).toBe('dark');
    expect(themeClass('light')).toBe('light');
    expect(themeClass(undefined)).toBeUndefined();
    expect(themeClass('"><script>')).toBeUndefined();
  });
});
