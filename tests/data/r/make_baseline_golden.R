# Reference values for the baseline models (naive, snaive, thetaf) and the
# classical decomposition, from R's forecast package.
# Regenerate: Rscript tests/data/r/make_baseline_golden.R (from the repo root).
suppressMessages(library(forecast))
out <- "tests/data/r"
write_series <- function(name, x) {
  write.csv(data.frame(value = as.numeric(x)), file.path(out, paste0("series_", name, ".csv")),
            row.names = FALSE)
}
write_fc <- function(file, model, fc) {
  d <- data.frame(model = model, step = seq_along(fc$mean), mean = as.numeric(fc$mean),
                  lo80 = as.numeric(fc$lower[, 1]), hi80 = as.numeric(fc$upper[, 1]),
                  lo95 = as.numeric(fc$lower[, 2]), hi95 = as.numeric(fc$upper[, 2]))
  write.table(d, file, sep = ",", row.names = FALSE, append = file.exists(file),
              col.names = !file.exists(file))
}
f <- file.path(out, "baselines_forecasts.csv"); if (file.exists(f)) file.remove(f)
write_series("AirPassengers", AirPassengers)
write_series("WWWusage", WWWusage)
write_series("USAccDeaths", USAccDeaths)
write_fc(f, "naive:WWWusage", naive(WWWusage, h = 10))
write_fc(f, "snaive:USAccDeaths", snaive(USAccDeaths, h = 30))
write_fc(f, "thetaf:AirPassengers", thetaf(AirPassengers, h = 24))
write_fc(f, "thetaf:WWWusage", thetaf(WWWusage, h = 10))
write_fc(f, "thetaf:USAccDeaths", thetaf(USAccDeaths, h = 24))
d <- decompose(AirPassengers, type = "multiplicative")
write.csv(data.frame(index = as.numeric(d$figure)), file.path(out, "decompose_AirPassengers.csv"),
          row.names = FALSE)
write.csv(data.frame(acf = as.numeric(acf(AirPassengers, lag.max = 24, plot = FALSE)$acf)[-1]),
          file.path(out, "acf_AirPassengers.csv"), row.names = FALSE)
