# Golden data for the ETS tests: R forecast's ets() on classic series and a
# few M4 hourly series, fixed specifications and automatic selection.
#
# Run from the repository root:  Rscript tests/data/r/make_ets_golden.R
# Writes tests/data/r/ets_series_<name>.csv (one value per line),
# ets_fits.csv (one row per fit) and ets_forecasts.csv (one row per step).
suppressMessages(library(forecast))
out_dir <- "tests/data/r"

m4 <- read.csv("../shared/data/m4-hourly/Hourly-train.csv", stringsAsFactors = FALSE)
m4_series <- function(id) {
  row <- m4[m4$V1 == id, -1]
  v <- as.numeric(row)
  ts(v[!is.na(v)], frequency = 24)
}

series <- list(
  AirPassengers = AirPassengers,
  USAccDeaths = USAccDeaths,
  ldeaths = ldeaths,
  WWWusage = WWWusage,
  H1 = m4_series("H1"),
  H10 = m4_series("H10"),
  H150 = m4_series("H150"),
  # ETS(M,A,M) here has two basins: R's start finds the better one (ets_fit.cc)
  H265 = m4_series("H265")
)
# Fixed specifications fitted on every series (seasonal ones only when m > 1).
fixed <- c("ANN", "AAdN", "MAN", "AAA", "MAM", "MNM", "MAdM", "MNA")

fits <- data.frame()
fcasts <- data.frame()
add <- function(name, spec, fit, h) {
  p <- fit$par
  g <- function(k) if (is.na(p[k])) NA else unname(p[k])
  fits <<- rbind(fits, data.frame(series = name, period = frequency(series[[name]]),
    spec = spec, method = fit$method, loglik = fit$loglik, aicc = fit$aicc,
    alpha = g("alpha"), beta = g("beta"), gamma = g("gamma"), phi = g("phi"),
    sigma2 = fit$sigma2))
  fc <- forecast(fit, h = h, level = c(80, 95))
  fcasts <<- rbind(fcasts, data.frame(series = name, spec = spec, h = 1:h,
    mean = as.numeric(fc$mean), lo80 = as.numeric(fc$lower[, 1]),
    hi80 = as.numeric(fc$upper[, 1]), lo95 = as.numeric(fc$lower[, 2]),
    hi95 = as.numeric(fc$upper[, 2])))
}

for (name in names(series)) {
  y <- series[[name]]
  m <- frequency(y)
  h <- if (m > 1) 2 * m else 10
  writeLines(format(as.numeric(y), digits = 17), file.path(out_dir, paste0("ets_series_", name, ".csv")))
  for (spec in fixed) {
    seasonal <- substr(spec, nchar(spec), nchar(spec)) != "N"
    if (seasonal && m == 1) next
    damped <- grepl("d", spec)
    model <- gsub("d", "", spec)
    set.seed(1)
    fit <- ets(y, model = model, damped = damped)
    add(name, spec, fit, h)
  }
  set.seed(1)
  add(name, "auto", ets(y), h)
}
write.csv(fits, file.path(out_dir, "ets_fits.csv"), row.names = FALSE)
write.csv(fcasts, file.path(out_dir, "ets_forecasts.csv"), row.names = FALSE)

# R's initial-state heuristics (forecast:::initstate) for a few cases,
# including a short series (< 3 cycles) that takes the Fourier-regression path.
init_cases <- list(
  list("AirPassengers", AirPassengers, "A", "M"),
  list("AirPassengers", AirPassengers, "N", "A"),
  list("USAccDeaths", USAccDeaths, "A", "A"),
  list("AirPassengers30", window(AirPassengers, end = c(1951, 6)), "A", "M"),
  list("AirPassengers30", window(AirPassengers, end = c(1951, 6)), "N", "A"),
  list("H1", series$H1, "A", "M")
)
init_rows <- data.frame()
for (case in init_cases) {
  state <- forecast:::initstate(case[[2]], case[[3]], case[[4]])
  init_rows <- rbind(init_rows, data.frame(series = case[[1]], trend = case[[3]],
    season = case[[4]], index = seq_along(state) - 1, name = names(state),
    value = unname(state)))
}
writeLines(format(as.numeric(window(AirPassengers, end = c(1951, 6))), digits = 17),
           file.path(out_dir, "ets_series_AirPassengers30.csv"))
write.csv(init_rows, file.path(out_dir, "ets_initstate.csv"), row.names = FALSE)
