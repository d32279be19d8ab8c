/** The focusable panes, in focus order (keys 1–5 follow this order). */
export const PANE_IDS = ['containers', 'topics', 'connectors', 'snowflake', 'pipeline'] as const;
export type PaneId = (typeof PANE_IDS)[number];

export const PANE_TITLES: Record<PaneId, string> = {
  containers: 'Containers',
  topics: 'Topics',
  connectors: 'Connectors',
  snowflake: 'Snowflake',
  pipeline: 'Pipeline',
};
