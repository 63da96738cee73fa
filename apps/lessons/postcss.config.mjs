// Tailwind CSS v4 (the design system in @studio/ui/styles.css).
export default { plugins: { '@tailwindcss/postcss': {} } };
