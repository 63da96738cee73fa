/**
 * The design system's server-safe parts (`@studio/ui/components`): no hooks, no 'use client', so
 * pages, layouts and client components all use them. The interactive ones (shell, menus, dialogs,
 * toasts) are in `@studio/ui/interactive`; the stylesheet is `@studio/ui/styles.css`.
 */
export { AuditFilter, AuditTimeline, type AuditTimelineEntry } from './components/audit-timeline';
export { Badge, StatusBadge, type Tone } from './components/badge';
export { Button, buttonClass, LinkButton, type ButtonSize, type ButtonVariant } from './components/button';
export { Card, CardGrid, KpiCard } from './components/card';
export { BarList, ColumnChart, type ChartPoint, type ChartSeries } from './components/column-chart';
export { DailyAreaChart, HorizontalBarChart, type Bar, type DailyPoint, type DailySeries } from './components/charts';
export { cx } from './components/cx';
export { EmptyState } from './components/empty-state';
export { FormMessage, SelectField, TextareaField, TextField, type FieldState } from './components/field';
export { UsageMeter } from './components/meter';
export { Notice } from './components/notice';
export { PageHeader } from './components/page-header';
export { LoadingPage } from './components/skeleton';
export { Table, type Column, type Row } from './components/table';
export { THEME_COOKIE, themeChoice, themeClass, type ThemeChoice } from './components/theme';
