import type { ComponentType } from 'react';
import type { PaneId } from '../../keymap/panes.js';
import { ConnectorsPane } from './ConnectorsPane.js';
import { ContainersPane } from './ContainersPane.js';
import { PipelinePane } from './PipelinePane.js';
import { SnowflakePane } from './SnowflakePane.js';
import { TopicsPane } from './TopicsPane.js';
import type { PaneProps } from './types.js';

export const PANE_COMPONENTS: Record<PaneId, ComponentType<PaneProps>> = {
  containers: ContainersPane,
  topics: TopicsPane,
  connectors: ConnectorsPane,
  snowflake: SnowflakePane,
  pipeline: PipelinePane,
};
