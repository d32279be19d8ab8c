/**
 * How the console asks Ink to draw, shared by the local console, SSH sessions and the bench.
 * Ink throttles frames to maxFps (leading and trailing edge): a key that comes right after a
 * frame waits for the next slot. Frames cost ~4 ms at 200×50 (bench metric 2), so 60 fps
 * keeps that wait under 17 ms; store writes are already one frame per refresh round.
 */
export const CONSOLE_MAX_FPS = 60;
