"""Pipeline latency: from a 1080p frame entering the pipeline to its scan event.

    python -m bench.pipeline_bench [--frames 300] [--fps 30] [--width 1920 --height 1080]

Frames are camera-like (a code on a card, slightly defocused, sensor noise), each holding one of
the demo credentials in turn, and are submitted at the camera's rate from a thread, as a camera
source would. The repeat window is 0 so every frame the worker takes becomes an event; latency is
the event's own `latency_ms` (capture time to verdict: waiting, decoding, checking). Frames that a
newer frame replaced before the worker took them are counted as dropped. A second pass calls
`process` directly, with no queue, to show the work alone. Target: p95 <= 50 ms at 1080p.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import cv2
import numpy as np

from kiosk.core.decode.decoder import Decoder
from kiosk.core.demo_data import load_demo
from kiosk.core.events import ScanEvent
from kiosk.core.pipeline import Pipeline
from kiosk.core.repeats import RepeatWindows
from kiosk.core.sources import Capture, SourceKind
from kiosk.core.sources.demo import render_qr


def camera_frame(text: str, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A code on a white card in a grey room, a little soft and noisy, as a webcam sees it."""
    frame = np.full((height, width, 3), 110, np.uint8)
    qr = render_qr(text, scale=max(2, height // 200))
    side = qr.shape[0]
    top = int(rng.integers(40, height - side - 40))
    left = int(rng.integers(40, width - side - 40))
    frame[top - 30 : top + side + 30, left - 30 : left + side + 30] = 235
    frame[top : top + side, left : left + side] = np.where(qr > 0, 235, 25)[:, :, None]
    frame = cv2.GaussianBlur(frame, (5, 5), 1.2)
    noise = rng.normal(0, 6, frame.shape)
    return np.clip(frame + noise, 0, 255).astype(np.uint8)


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) if values else float("nan")


def summary(label: str, values: list[float]) -> str:
    return (
        f"{label:<28} n={len(values):4d}  median {statistics.median(values):6.2f} ms  "
        f"p95 {percentile(values, 95):6.2f} ms  max {max(values):6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=300, help="frames to submit")
    parser.add_argument("--fps", type=float, default=30.0, help="the camera's rate")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    demo = load_demo()
    trust = demo.trust_state()
    texts = [c.text for c in demo.codes if c.text.startswith("CDS1:")]
    rng = np.random.default_rng(args.seed)
    frames = [camera_frame(t, args.width, args.height, rng) for t in texts for _ in range(3)]
    print(
        f"pipeline latency, {args.width}x{args.height}, {args.frames} frames at {args.fps:g} fps; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"OpenCV threads {cv2.getNumThreads()}"
    )

    events: list[ScanEvent] = []
    pipeline = Pipeline(
        decoder=Decoder(),
        trust=lambda: trust,
        on_event=lambda e: events.append(e) is None,  # kept, as a journal that can write
        windows=RepeatWindows(repeat_window_s=0.0),
    )
    pipeline.decoder.decode(frames[0])  # first-call costs are not latency
    pipeline.start()
    interval = 1 / args.fps
    due = time.monotonic()
    try:
        for i in range(args.frames):
            time.sleep(max(0.0, due - time.monotonic()))
            due += interval
            pipeline.submit(
                Capture(
                    "bench", SourceKind.CAMERA, time.time(), time.monotonic(),
                    frame=frames[i % len(frames)],
                )
            )  # fmt: skip
        pipeline.wait_idle(10)
    finally:
        pipeline.close()
    stats = pipeline.stats
    latencies = [e.latency_ms for e in events]
    unread = stats.frames_decoded - len(events)
    print(summary("frame entering -> event", latencies))
    print(
        f"{'':<28} frames in {stats.frames_in}, dropped (replaced by newer) "
        f"{stats.frames_dropped}, decoded {stats.frames_decoded}, no code read {unread}"
    )

    direct: list[float] = []
    sink: list[ScanEvent] = []
    quiet = Pipeline(
        decoder=Decoder(), trust=lambda: trust, on_event=lambda e: sink.append(e) is None,
        windows=RepeatWindows(repeat_window_s=0.0),
    )  # fmt: skip
    for i in range(min(args.frames, 120)):
        start = time.monotonic()
        quiet.process(
            Capture("bench", SourceKind.CAMERA, time.time(), start, frame=frames[i % len(frames)])
        )
        direct.append((time.monotonic() - start) * 1000)
    print(summary("process() alone, no queue", direct))
    idle_cost(args.width, args.height, args.seed)
    p95 = percentile(latencies, 95)
    verdict = "meets" if p95 <= 50 else "MISSES"
    print(f"p95 {p95:.1f} ms {verdict} the 50 ms target")


def idle_cost(width: int, height: int, seed: int, frames: int = 90) -> None:
    """Decode time of a scene with no code: what an idle kiosk spends per frame."""
    rng = np.random.default_rng(seed)
    noise = rng.uniform(0, 255, (height, width)).astype(np.float32)
    scene = cv2.normalize(cv2.GaussianBlur(noise, (0, 0), 6), None, 0, 255, cv2.NORM_MINMAX)
    scene = scene.astype(np.uint8)
    for label, decoder in (("camera stream", Decoder()), ("every retry", Decoder(remember=False))):
        cpu = time.process_time()
        times = [decoder.decode(scene).ms for _ in range(frames)]
        cpu_ms = (time.process_time() - cpu) * 1000 / frames  # what a loaded machine cannot inflate
        print(f"empty scene, {label:<14} mean {sum(times) / len(times):5.1f} ms a frame "
              f"(median {statistics.median(times):.1f}, {frames} frames); "
              f"CPU {cpu_ms:.1f} ms a frame")  # fmt: skip


if __name__ == "__main__":
    main()
