# The independent half of the trainer check (tests/helpers/r-credit.ts): R's glm on modeldata's
# credit_data, 5 folds. Writes the exact design our trainer reads (rows without NA dropped, factors
# one-hot by R's own treatment contrasts, the fold of each row) and R's out-of-fold AUCs.
# Usage: Rscript credit-glm.R OUT_DIR
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
suppressPackageStartupMessages(library(modeldata))
data(credit_data)
d <- na.omit(credit_data)
y <- as.integer(d$Status == "bad")
X <- model.matrix(Status ~ ., data = d)[, -1]
set.seed(20261203)
fold <- sample(rep(1:5, length.out = nrow(d)))
write.csv(data.frame(y = y, fold = fold, X, check.names = FALSE), file.path(out, "credit.csv"), row.names = FALSE)
# AUC as Mann-Whitney U over average ranks
auc <- function(s, lab) {
  r <- rank(s)
  p <- sum(lab == 1); n <- sum(lab == 0)
  (sum(r[lab == 1]) - p * (p + 1) / 2) / (p * n)
}
aucs <- sapply(1:5, function(k) {
  tr <- data.frame(y = y[fold != k], X[fold != k, , drop = FALSE], check.names = FALSE)
  te <- data.frame(X[fold == k, , drop = FALSE], check.names = FALSE)
  m <- glm(y ~ ., data = tr, family = binomial())
  auc(predict(m, newdata = te, type = "response"), y[fold == k])
})
writeLines(format(aucs, digits = 17), file.path(out, "r-aucs.txt"))
cat(sprintf("rows %d, features %d, R glm AUC by fold: %s\n", nrow(d), ncol(X), paste(round(aucs, 4), collapse = " ")))
