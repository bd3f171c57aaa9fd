#!/usr/bin/env Rscript
# Golden values for the ARIMA family's tests, from R's stats::arima and
# forecast::Arima / auto.arima. Run from the repository root:
#   Rscript tests/data/r/make_arima_golden.R
# Writes tests/data/r/arima_series.csv (case,index,value) and
# tests/data/r/arima_golden.csv (case,field,index,value).
suppressMessages(library(forecast))
suppressMessages(library(urca))

out_dir <- "tests/data/r"
series <- list()
golden <- list()
add <- function(case, field, value) {
  golden[[length(golden) + 1]] <<- data.frame(case = case, field = field,
    index = seq_along(value), value = format(value, digits = 15), stringsAsFactors = FALSE)
}
add_series <- function(case, y) {
  series[[length(series) + 1]] <<- data.frame(case = case, index = seq_along(y),
    value = format(as.numeric(y), digits = 17), stringsAsFactors = FALSE)
}
record_fit <- function(case, fit, h, newxreg = NULL) {
  add(case, "name", forecast:::arima.string(fit))
  add(case, "order", fit$arma[c(1, 6, 2, 3, 7, 4, 5)])
  add(case, "coef", unname(fit$coef))
  add(case, "coef_names", names(fit$coef))
  add(case, "loglik", fit$loglik)
  add(case, "aicc", fit$aicc)
  add(case, "sigma2", fit$sigma2)
  fc <- if (is.null(newxreg)) forecast(fit, h = h, level = c(80, 95)) else
    forecast(fit, h = h, level = c(80, 95), xreg = newxreg)
  add(case, "mean", as.numeric(fc$mean))
  add(case, "lo80", as.numeric(fc$lower[, 1]))
  add(case, "hi80", as.numeric(fc$upper[, 1]))
  add(case, "lo95", as.numeric(fc$lower[, 2]))
  add(case, "hi95", as.numeric(fc$upper[, 2]))
}

m4 <- read.csv("../shared/data/m4-hourly/Hourly-train.csv", stringsAsFactors = FALSE)
m4_series <- function(id) {
  row <- as.numeric(m4[m4[, 1] == id, -1])
  ts(row[!is.na(row)], frequency = 24)
}

air <- log(AirPassengers)
h1 <- m4_series("H1")
h2 <- m4_series("H2")
lake_t <- as.numeric(time(LakeHuron)) - 1920
for (s in list(list("WWWusage", WWWusage), list("logAirPassengers", air),
               list("USAccDeaths", USAccDeaths), list("lh", lh), list("LakeHuron", LakeHuron),
               list("H1", h1), list("H2", h2))) add_series(s[[1]], s[[2]])

# Fixed orders, estimated by CSS-ML (R's default).
record_fit("fit_WWWusage_111", Arima(WWWusage, order = c(1, 1, 1)), 10)
record_fit("fit_WWWusage_110_drift", Arima(WWWusage, order = c(1, 1, 0), include.drift = TRUE), 10)
record_fit("fit_air_011_011", Arima(air, order = c(0, 1, 1), seasonal = c(0, 1, 1)), 24)
record_fit("fit_air_200_010_drift",
           Arima(air, order = c(2, 0, 0), seasonal = c(0, 1, 0), include.drift = TRUE), 24)
record_fit("fit_USAccDeaths_011_011", Arima(USAccDeaths, order = c(0, 1, 1), seasonal = c(0, 1, 1)), 24)
record_fit("fit_USAccDeaths_101_100_mean",
           Arima(USAccDeaths, order = c(1, 0, 1), seasonal = c(1, 0, 0), include.mean = TRUE), 24)
record_fit("fit_lh_100", Arima(lh, order = c(1, 0, 0)), 12)
record_fit("fit_lh_301", Arima(lh, order = c(3, 0, 1)), 12)
record_fit("fit_LakeHuron_200_xreg", Arima(LakeHuron, order = c(2, 0, 0), xreg = lake_t), 10,
           newxreg = 2:11 + lake_t[length(lake_t)] - 1)
record_fit("fit_H1_101_011", Arima(h1, order = c(1, 0, 1), seasonal = c(0, 1, 1)), 48)
record_fit("fit_H2_201_110", Arima(h2, order = c(2, 0, 1), seasonal = c(1, 1, 0)), 48)

# Log-likelihood at fixed parameters: isolates the likelihood from the optimiser.
fixed <- list(
  list("ll_lh_100", lh, c(1, 0, 0), c(0, 0, 0), c(0.5, 2.4), NULL),
  list("ll_lh_102", lh, c(1, 0, 2), c(0, 0, 0), c(0.7, -0.2, 0.3, 2.4), NULL),
  list("ll_WWWusage_210", WWWusage, c(2, 1, 0), c(0, 0, 0), c(1.1, -0.4), NULL),
  list("ll_air_011_011", air, c(0, 1, 1), c(0, 1, 1), c(-0.4, -0.6), NULL),
  list("ll_air_100_101", air, c(1, 0, 0), c(1, 0, 1), c(0.9, 0.8, -0.3, 5.5), NULL),
  list("ll_USAccDeaths_012_110", USAccDeaths, c(0, 1, 2), c(1, 1, 0), c(-0.4, -0.1, -0.3), NULL),
  list("ll_LakeHuron_101_xreg", LakeHuron, c(1, 0, 1), c(0, 0, 0), c(0.8, 0.2, 579, -0.02), lake_t),
  list("ll_H1_101_011", h1, c(1, 0, 1), c(0, 1, 1), c(0.9, 0.1, -0.7), NULL))
for (f in fixed) {
  fit <- Arima(f[[2]], order = f[[3]], seasonal = f[[4]], fixed = f[[5]], xreg = f[[6]],
               include.mean = length(f[[5]]) > sum(f[[3]][-2]) + sum(f[[4]][-2]))
  add(f[[1]], "order", c(f[[3]], f[[4]], frequency(f[[2]])))
  add(f[[1]], "coef", f[[5]])
  add(f[[1]], "loglik", fit$loglik)
  add(f[[1]], "sigma2", fit$sigma2)
}

# Automatic selection.
auto_cases <- list(list("auto_WWWusage", WWWusage, NULL, NULL, 10),
                   list("auto_logAirPassengers", air, NULL, NULL, 24),
                   list("auto_USAccDeaths", USAccDeaths, NULL, NULL, 24),
                   list("auto_lh", lh, NULL, NULL, 12),
                   list("auto_LakeHuron_xreg", LakeHuron, lake_t, 2:11 + lake_t[length(lake_t)] - 1, 10),
                   list("auto_H1", h1, NULL, NULL, 48),
                   list("auto_H2", h2, NULL, NULL, 48))
for (a in auto_cases) {
  seconds <- system.time(fit <- auto.arima(a[[2]], xreg = a[[3]]))[["elapsed"]]
  record_fit(a[[1]], fit, a[[5]], newxreg = a[[4]])
  add(a[[1]], "seconds", seconds)
  add(a[[1]], "ndiffs", ndiffs(a[[2]]))
  if (frequency(a[[2]]) > 1) add(a[[1]], "seas_strength", forecast:::seas.heuristic(a[[2]]))
}

# KPSS statistics (urca, type "mu", ndiffs' lag choice).
for (s in list(list("kpss_WWWusage", WWWusage), list("kpss_diff_WWWusage", diff(WWWusage)),
               list("kpss_lh", lh), list("kpss_H1", h1))) {
  x <- as.numeric(s[[2]])
  add(s[[1]], "lags", trunc(3 * sqrt(length(x)) / 13))
  add(s[[1]], "stat", ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(length(x)) / 13))@teststat)
}

write.csv(do.call(rbind, series), file.path(out_dir, "arima_series.csv"), row.names = FALSE, quote = FALSE)
g <- do.call(rbind, golden)
g$value <- trimws(g$value)
write.csv(g, file.path(out_dir, "arima_golden.csv"), row.names = FALSE, quote = FALSE)
