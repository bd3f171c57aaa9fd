#!/usr/bin/env Rscript
# Cross-check of the benchmark's C++ metrics against the M4 competition's own
# R evaluation code (Mcompetitions/M4-methods, "Benchmarks and Evaluation.R":
# SeasonalityTest, Naive2, cal_sMAPE, cal_MASE, transcribed below), on R's
# cached forecasts. Prints, per cached method, the same sMAPE / MASE / OWA
# figures as m4_benchmark's "R <method>" rows; they should agree to the last
# printed digit.
#
# Usage: Rscript r_check_metrics.R [data_csv] [cache_dir] [drop]
#   drop: points removed from the end of each series first (48 with
#         r_cache_tuning, the tuning window, as in r_reference.R).
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
script_dir <- local({
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  if (length(f) == 1) dirname(normalizePath(f)) else "."
})
data_csv  <- if (length(args) >= 1) args[1] else "../shared/data/m4-hourly/Hourly-train.csv"
cache_dir <- if (length(args) >= 2) args[2] else file.path(script_dir, "r_cache")
drop      <- if (length(args) >= 3) as.integer(args[3]) else 0L
fh <- 48; frq <- 24

# --- From M4-methods "Benchmarks and Evaluation.R" ---
SeasonalityTest <- function(input, ppy){
  tcrit <- 1.645
  if (length(input)<3*ppy){
    test_seasonal <- FALSE
  }else{
    xacf <- acf(input, plot = FALSE)$acf[-1, 1, 1]
    clim <- tcrit/sqrt(length(input)) * sqrt(cumsum(c(1, 2 * xacf^2)))
    test_seasonal <- ( abs(xacf[ppy]) > clim[ppy] )
    if (is.na(test_seasonal)==TRUE){ test_seasonal <- FALSE }
  }
  return(test_seasonal)
}
Naive2 <- function(input, fh){
  ppy <- frequency(input) ; ST <- F
  if (ppy>1){ ST <- SeasonalityTest(input,ppy) }
  if (ST==T){
    Dec <- decompose(input,type="multiplicative")
    des_input <- input/Dec$seasonal
    SIout <- head(rep(Dec$seasonal[(length(Dec$seasonal)-ppy+1):length(Dec$seasonal)], fh), fh)
  }else{
    des_input <- input ; SIout <- rep(1, fh)
  }
  return(naive(des_input, h=fh)$mean*SIout)
}
cal_sMAPE <- function(outsample, forecasts){
  outsample <- as.numeric(outsample) ; forecasts<-as.numeric(forecasts)
  smape <- (abs(outsample-forecasts)*200)/(abs(outsample)+abs(forecasts))
  return(smape)
}
cal_MASE <- function(insample, outsample, forecasts){
  frq <- frequency(insample)
  forecastsNaiveSD <- rep(NA,frq)
  for (j in (frq+1):length(insample)){
    forecastsNaiveSD <- c(forecastsNaiveSD, insample[j-frq])
  }
  masep<-mean(abs(insample-forecastsNaiveSD),na.rm = TRUE)
  outsample <- as.numeric(outsample) ; forecasts <- as.numeric(forecasts)
  mase <- (abs(outsample-forecasts))/masep
  return(mase)
}
# ---

raw <- read.csv(data_csv, stringsAsFactors = FALSE)
fc <- read.csv(file.path(cache_dir, "r_forecasts.csv"), stringsAsFactors = FALSE)
tm <- read.csv(file.path(cache_dir, "r_timings.csv"), stringsAsFactors = FALSE)
for (method in unique(tm$method)) {
  ids <- tm$series[tm$method == method]
  s <- c(); m <- c(); s2 <- c(); m2 <- c()
  for (id in ids) {
    x <- as.numeric(raw[raw[[1]] == id, -1]); x <- x[!is.na(x)]
    x <- head(x, length(x) - drop)
    insample <- ts(head(x, length(x) - fh), frequency = frq)
    outsample <- tail(x, fh)
    f <- fc$forecast[fc$series == id & fc$method == method]
    n2 <- Naive2(insample, fh)
    s <- c(s, mean(cal_sMAPE(outsample, f)))
    m <- c(m, mean(cal_MASE(insample, outsample, f)))
    s2 <- c(s2, mean(cal_sMAPE(outsample, n2)))
    m2 <- c(m2, mean(cal_MASE(insample, outsample, n2)))
  }
  owa <- 0.5 * (mean(s) / mean(s2) + mean(m) / mean(m2))
  cat(sprintf("R %s, %d series: sMAPE %.3f MASE %.3f OWA %.3f | Naive2 sMAPE %.3f MASE %.3f\n",
              method, length(ids), mean(s), mean(m), owa, mean(s2), mean(m2)))
}
