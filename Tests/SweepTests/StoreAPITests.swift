import ExperimentStore
import Testing
import Trainer

/// The store names a run's score by the key the trainer records it under (the trainer never
/// imports the store, so the two constants must agree).
@Test func theStoresScoreKeyIsTheTrainers() {
    #expect(Store.scoreKey == MetricKey.score)
}
