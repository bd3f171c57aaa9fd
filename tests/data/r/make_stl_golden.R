# Golden outputs of R's stats::stl(), forecast::mstl() and forecast::fourier()
# for tests/forecasting/{stl,mstl,fourier}_test.cc.
# Run from the repository root:  Rscript tests/data/r/make_stl_golden.R
# (R 4.2, forecast 8.20). Values are written with 17 significant digits.
suppressPackageStartupMessages(library(forecast))
out <- "tests/data/r"
w <- function(df, name) {
  write.csv(format(df, digits = 17), file.path(out, name), row.names = FALSE, quote = FALSE)
}
comp <- function(fit) {
  ts <- fit$time.series
  data.frame(seasonal = c(ts[, "seasonal"]), trend = c(ts[, "trend"]),
             remainder = c(ts[, "remainder"]), weights = fit$weights)
}
w(data.frame(y = c(nottem)), "stl_nottem_input.csv")
w(comp(stl(nottem, s.window = 7)), "stl_nottem_s7.csv")
w(comp(stl(nottem, s.window = "periodic")), "stl_nottem_periodic.csv")
w(comp(stl(nottem, s.window = 7, robust = TRUE)), "stl_nottem_s7_robust.csv")
w(data.frame(y = c(co2)), "stl_co2_input.csv")
w(comp(stl(co2, s.window = 21, s.degree = 1)), "stl_co2_s21_deg1.csv")
w(comp(stl(co2, s.window = 13, t.window = 25, s.jump = 3, t.jump = 5, l.jump = 2)),
  "stl_co2_s13_jumps.csv")
# A long period, where the jumps matter: synthetic, period 144, 10 cycles.
set.seed(1)
n <- 1440
tt <- seq_len(n)
long <- 10 + 0.002 * tt + 3 * sin(2 * pi * tt / 144) + cos(4 * pi * tt / 144) + rnorm(n, sd = 0.5)
w(data.frame(y = long), "stl_long_input.csv")
w(comp(stl(ts(long, frequency = 144), s.window = 7)), "stl_long_s7.csv")

# mstl on taylor (half-hourly, periods 48 and 336), first 4 weeks.
tay <- msts(c(taylor)[1:(336 * 4)], seasonal.periods = c(48, 336))
w(data.frame(y = c(tay)), "stl_taylor_input.csv")
m <- mstl(tay)
w(data.frame(trend = c(m[, "Trend"]), seasonal48 = c(m[, "Seasonal48"]),
             seasonal336 = c(m[, "Seasonal336"]), remainder = c(m[, "Remainder"])),
  "stl_taylor_mstl.csv")
# seas.heuristic strengths (used by nsdiffs), on nottem (a ts: one period) and taylor.
w(data.frame(strength = forecast:::seas.heuristic(nottem)), "stl_nottem_strength.csv")
w(data.frame(strength = forecast:::seas.heuristic(tay)), "stl_taylor_strength.csv")

# fourier(): in-sample and future terms.
f1 <- fourier(ts(1:30, frequency = 12), K = 6)
w(as.data.frame(unname(f1)), "stl_fourier_12_6.csv")
f2 <- fourier(ts(1:30, frequency = 12), K = 3, h = 10)
w(as.data.frame(unname(f2)), "stl_fourier_12_3_h10.csv")
f3 <- fourier(msts(1:400, seasonal.periods = c(24, 168)), K = c(3, 10))
w(as.data.frame(unname(f3)), "stl_fourier_24_168.csv")
