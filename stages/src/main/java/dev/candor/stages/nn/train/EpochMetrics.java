package dev.candor.stages.nn.train;

/**
 * One epoch's figures, a point of the learning curves.
 *
 * @param trainLoss   mean data loss over the epoch's training batches (as they were seen, dropout on)
 * @param valLoss     data loss on the validation set in eval mode
 * @param valAccuracy arg-max accuracy on the validation set (NaN for MSE)
 * @param lr          the learning rate of the epoch's last step
 */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double lr) { }
