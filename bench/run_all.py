"""Run every benchmark and print one JSON object per line (make bench)."""

import bench_attention
import bench_crash
import bench_demo
import bench_encryption
import bench_import
import bench_import_large
import bench_long_text
import bench_package
import bench_reports_engine
import bench_search
import bench_startup

if __name__ == "__main__":
    for module in (bench_import, bench_search, bench_startup, bench_attention, bench_demo,
                   bench_reports_engine, bench_long_text, bench_package, bench_crash, bench_encryption,
                   bench_import_large):
        module.main()
