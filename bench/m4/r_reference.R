#!/usr/bin/env Rscript
# R reference forecasts for the M4-hourly benchmark (see README.md).
#
# For a fixed subset of the 414 hourly series (every 6th, starting at H1: 69
# series) hold out the last 48 points, fit forecast::auto.arima and
# forecast::ets with default settings on ts(x, frequency = 24), forecast 48
# steps, and record the forecasts and the wall time of fit + forecast. A third
# method, stlf, is R's own multi-season forecaster, given the daily and the
# weekly season: stlf(msts(x, seasonal.periods = c(24, 168))), i.e. MSTL with
# ETS on the seasonally adjusted series.
#
# The cache is appended to as each (series, method) completes and series
# already cached are skipped, so the run can be interrupted and resumed, and
# a partial cache is usable. A row in r_timings.csv is written after its
# forecasts, so it is the mark of completion; forecasts without a timing row
# (a run killed in between) are dropped at start-up.
#
# Times: `seconds` is the wall time of fit + forecast, `cpu_seconds` the CPU
# time (user + system) of this single-threaded process over the same span.
# On a shared machine the wall time grows with the load; the CPU time does
# not, so it is the fairer figure to compare with ours. (Rows written before
# cpu_seconds was recorded hold NA there.)
#
# Usage: Rscript r_reference.R [data_csv] [cache_dir] [every] [methods] [drop]
#   defaults: /work/shared/data/m4-hourly/Hourly-train.csv, <script dir>/r_cache, 6,
#             ets,stlf,auto.arima  (the fast ones first, so their columns complete early), 0
#   drop: points removed from the end of each series first; 48 gives the tuning window of
#         `m4_benchmark --tuning-window` (cache it in r_cache_tuning, as bench/m4/run does).
# Run single-threaded: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 (set by bench/m4/run).

suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
script_dir <- local({
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  if (length(f) == 1) dirname(normalizePath(f)) else "."
})
data_csv  <- if (length(args) >= 1) args[1] else "../shared/data/m4-hourly/Hourly-train.csv"
cache_dir <- if (length(args) >= 2) args[2] else file.path(script_dir, "r_cache")
every     <- if (length(args) >= 3) as.integer(args[3]) else 6L
methods   <- if (length(args) >= 4) strsplit(args[4], ",")[[1]] else c("ets", "stlf", "auto.arima")
drop      <- if (length(args) >= 5) as.integer(args[5]) else 0L

kHorizon <- 48L   # the M4 hourly horizon
kPeriod  <- 24L   # daily cycle of hourly data

dir.create(cache_dir, showWarnings = FALSE, recursive = TRUE)
fc_file <- file.path(cache_dir, "r_forecasts.csv")
tm_file <- file.path(cache_dir, "r_timings.csv")

if (!file.exists(fc_file)) cat("series,method,step,forecast\n", file = fc_file)
if (!file.exists(tm_file)) cat("series,method,seconds,model,cpu_seconds\n", file = tm_file)

timings <- read.csv(tm_file, stringsAsFactors = FALSE)
if (!("cpu_seconds" %in% names(timings))) {
  # A cache from before cpu_seconds was recorded: add the column as NA.
  timings$cpu_seconds <- NA
  write.csv(timings, tm_file, row.names = FALSE, quote = c(4), na = "NA")
}
done <- paste(timings$series, timings$method)
forecasts <- read.csv(fc_file, stringsAsFactors = FALSE)
orphan <- !(paste(forecasts$series, forecasts$method) %in% done)
if (any(orphan)) {
  # Forecasts from a run killed before its timing row: drop them, redo the pair.
  write.csv(forecasts[!orphan, ], fc_file, row.names = FALSE, quote = FALSE)
}

raw <- read.csv(data_csv, stringsAsFactors = FALSE)
ids <- raw[[1]]
subset_rows <- seq(1, nrow(raw), by = every)

fit_and_forecast <- function(method, y) {
  if (method == "auto.arima") {
    fit <- auto.arima(y)
  } else if (method == "ets") {
    fit <- ets(y)
  } else if (method == "stlf") {
    f <- stlf(msts(as.numeric(y), seasonal.periods = c(kPeriod, 7L * kPeriod)), h = kHorizon)
    return(list(mean = as.numeric(f$mean), model = f$method))
  } else {
    stop("unknown method ", method)
  }
  list(mean = as.numeric(forecast(fit, h = kHorizon)$mean),
       model = if (method == "ets") fit$method else as.character(fit))
}

for (method in methods) {
  for (row in subset_rows) {
    id <- ids[row]
    if (paste(id, method) %in% done) next
    x <- as.numeric(raw[row, -1])
    x <- x[!is.na(x)]
    x <- head(x, length(x) - drop)
    train <- ts(head(x, length(x) - kHorizon), frequency = kPeriod)
    p0 <- proc.time()
    res <- tryCatch(fit_and_forecast(method, train),
                    error = function(e) { message(id, " ", method, " failed: ", conditionMessage(e)); NULL })
    p1 <- proc.time() - p0
    secs <- p1[["elapsed"]]
    cpu <- p1[["user.self"]] + p1[["sys.self"]]
    if (is.null(res)) next
    cat(sprintf("%s,%s,%d,%.17g\n", id, method, seq_len(kHorizon), res$mean),
        sep = "", file = fc_file, append = TRUE)
    cat(sprintf("%s,%s,%.3f,\"%s\",%.3f\n", id, method, secs, res$model, cpu),
        file = tm_file, append = TRUE)
    message(format(Sys.time(), "%H:%M:%S"), " ", id, " ", method, " ",
            sprintf("%.1fs wall %.1fs cpu", secs, cpu), " ", res$model)
  }
}
message("done")
