/** The terminal's size from Ink's stdout (a TTY, or an SSH channel that looks like one), updated on resize. */
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';
import { MIN_SIZE, type TerminalSize } from './sizing.js';

type SizedStream = NodeJS.WriteStream & { columns?: number; rows?: number };

function read(stdout: SizedStream): TerminalSize {
  // Not a TTY (piped, some CI): assume the minimum rather than guess larger.
  return { columns: stdout.columns || MIN_SIZE.columns, rows: stdout.rows || MIN_SIZE.rows };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((prev) => {
        const next = read(stdout);
        return prev.columns === next.columns && prev.rows === next.rows ? prev : next;
      });
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
