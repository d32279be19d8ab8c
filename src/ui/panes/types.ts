/** What a layout gives every pane: its box and whether it has focus. */
export interface PaneProps {
  width: number;
  height: number;
  focused: boolean;
}
